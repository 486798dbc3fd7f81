from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def csp_init_js():
    """Starts the admin widgets Wagtail would start from inline scripts (see the script)."""
    return format_html('<script src="{}" defer></script>', static("admin/csp-init.js"))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("admin/admin.css"))
