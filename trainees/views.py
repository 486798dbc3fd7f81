"""Staff screens of the registry: people, a person's record, events, aggregate sessions.

Thin: each view checks access through ``trainees.selectors.access``, calls one selector or
service and renders. Every view of personal data writes an audit record.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.selectors import user_field_offices
from lms.core.services import audit_record
from trainees.forms import AggregateSessionForm, EventCorrectionForm, PeopleSearchForm
from trainees.models import Participation, Person, Place
from trainees.selectors import people_search
from trainees.selectors.access import (
    aggregate_sessions_visible,
    events_visible,
    people_visible,
    person_visible,
    user_can_correct_records,
    user_can_use_registry,
    user_sees_all_offices,
)
from trainees.selectors.records import (
    person_certificates,
    person_merge_history,
    person_participations,
    person_statements,
)
from trainees.services import (
    aggregate_session_record,
    participation_void,
    person_names_set,
    training_event_update,
)

PAGE_SIZE = 50


def _require_staff(request) -> None:
    if not user_can_use_registry(user=request.user):
        raise PermissionDenied(
            _("Only trainers, coordinators and administrators can see the registry.")
        )


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _posted_text(request, name: str, limit: int) -> str:
    """A posted text field, spaces collapsed, cut at ``limit`` characters."""
    return " ".join(request.POST.get(name, "").split())[:limit]


@login_required
def people_index(request):
    _require_staff(request)
    form = PeopleSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    people = people_search(query=query, queryset=people_visible(user=request.user)).order_by(
        "family_normalised", "given_normalised", "pk"
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        user=request.user,
        action="person.list",
        target=None,
        detail={"query": query, "page": page.number, "shown": len(page.object_list)},
        ip_address=_ip(request),
    )
    return render(
        request, "trainees/people_index.html", {"form": form, "page": page, "query": query}
    )


def _not_visible(request, action: str, public_id):
    """The same answer whether the record does not exist or belongs to another office (so
    its existence is not disclosed), saying why; the attempt is audited."""
    audit_record(
        user=request.user,
        action=action,
        target=None,
        detail={"public_id": str(public_id)},
        ip_address=_ip(request),
    )
    message = _(
        "No record with this id is open to you. Trainers see the people and events of "
        "their own field offices only; ask a coordinator if you need this record."
    )
    return render(request, "404.html", {"message": message}, status=404)


@login_required
def person_detail(request, public_id):
    _require_staff(request)
    person = (
        Person.objects.select_related("merged_into", "user").filter(public_id=public_id).first()
    )
    if person is None or not person_visible(user=request.user, person=person):
        return _not_visible(request, "person.view_refused", public_id)
    audit_record(
        user=request.user,
        action="person.view",
        target=person,
        detail={"public_id": str(person.public_id)},
        ip_address=_ip(request),
    )
    context = {
        "person": person,
        "can_correct": user_can_correct_records(user=request.user),
        "identifiers": list(person.identifiers.all()),
        "participations": list(person_participations(person=person)),
        "certificates": person_certificates(person=person),
        "statements": person_statements(person=person),
        "merges": person_merge_history(person=person),
        "merged_people": list(person.merged_people.all()),
    }
    return render(request, "trainees/person_detail.html", context)


#: Longest name part a correction keeps (as Person.given_names / family_name).
NAME_MAX = 200


@login_required
@require_POST
def person_names_correct(request, public_id):
    """Correct a person's names (a spelling the person gives, a roster typed wrongly): the
    normalised forms follow, so matching compares the new names. Lead trainers,
    coordinators and administrators only; audited with the names before and after."""
    _require_staff(request)
    person = Person.objects.filter(public_id=public_id, merged_into__isnull=True).first()
    if person is None or not person_visible(user=request.user, person=person):
        return _not_visible(request, "person.names_refused", public_id)
    if not user_can_correct_records(user=request.user):
        raise PermissionDenied(
            _("Only lead trainers, coordinators and administrators can correct a record.")
        )
    given = _posted_text(request, "given_names", NAME_MAX)
    family = _posted_text(request, "family_name", NAME_MAX)
    back = redirect("registry_person_detail", person.public_id)
    if not (given or family):
        messages.error(request, _("Give at least one name: nothing was changed."))
        return back
    before = {"given_names": person.given_names, "family_name": person.family_name}
    if (given, family) == (before["given_names"], before["family_name"]):
        messages.info(request, _("The names are unchanged."))
        return back
    person_names_set(person=person, given_names=given, family_name=family)
    audit_record(
        user=request.user,
        action="person.names_correct",
        target=person,
        detail={"before": before, "after": {"given_names": given, "family_name": family}},
        ip_address=_ip(request),
    )
    messages.success(request, _("The names were corrected."))
    return back


#: Longest reason kept for a withdrawn participation.
WITHDRAW_REASON_MAX = 500


@login_required
@require_POST
def participation_withdraw(request, public_id):
    """Withdraw a participation recorded in error (wrong roster, wrong person): its statement
    is voided and it leaves every count; the row stays on the record with the reason. Lead
    trainers, coordinators and administrators only; audited."""
    _require_staff(request)
    participation = (
        Participation.objects.select_related("person").filter(public_id=public_id).first()
    )
    if participation is None or not person_visible(user=request.user, person=participation.person):
        return _not_visible(request, "participation.withdraw_refused", public_id)
    if not user_can_correct_records(user=request.user):
        raise PermissionDenied(
            _("Only lead trainers, coordinators and administrators can withdraw a participation.")
        )
    person_url = redirect("registry_person_detail", participation.person.public_id)
    reason = _posted_text(request, "reason", WITHDRAW_REASON_MAX)
    if not reason:
        messages.error(request, _("Say why the participation is withdrawn: nothing was changed."))
        return person_url
    if participation.voided:
        messages.info(request, _("This participation was already withdrawn."))
        return person_url
    participation_void(participation=participation, reason=reason)
    audit_record(
        user=request.user,
        action="participation.withdraw",
        target=participation.person,
        detail={"participation": str(participation.public_id), "reason": reason},
        ip_address=_ip(request),
    )
    messages.success(request, _("The participation was withdrawn: it no longer counts anywhere."))
    return person_url


@login_required
def event_index(request):
    _require_staff(request)
    events = events_visible(user=request.user).select_related("programme", "place", "field_office")
    page = Paginator(events.order_by("-start_date", "title", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "trainees/event_index.html", {"page": page})


@login_required
def event_detail(request, public_id):
    _require_staff(request)
    event = (
        events_visible(user=request.user)
        .select_related("programme", "place", "field_office")
        .filter(public_id=public_id)
        .first()
    )
    if event is None:
        return _not_visible(request, "event.view_refused", public_id)
    participations = (
        Participation.objects.filter(event=event)
        .select_related("person", "organisation")
        .order_by("person__family_normalised", "person__given_normalised", "pk")
    )
    audit_record(
        user=request.user,
        action="event.participants.view",
        target=event,
        detail={"public_id": str(event.public_id)},
        ip_address=_ip(request),
    )
    return render(
        request,
        "trainees/event_detail.html",
        {
            "event": event,
            "participations": participations,
            "trainers": list(event.trainers.all()),
            "can_correct": user_can_correct_records(user=request.user),
        },
    )


def _places_for(user):
    places = Place.objects.select_related("field_office").order_by("name")
    if not user_sees_all_offices(user=user):
        places = places.filter(field_office__in=user_field_offices(user=user))
    return places


@login_required
def event_correct(request, public_id):
    """Correct a training event (a wrong programme, place or date restates every figure: its
    participations follow). Lead trainers, coordinators and administrators; audited."""
    _require_staff(request)
    event = events_visible(user=request.user).filter(public_id=public_id).first()
    if event is None:
        return _not_visible(request, "event.correct_refused", public_id)
    if not user_can_correct_records(user=request.user):
        raise PermissionDenied(
            _("Only lead trainers, coordinators and administrators can correct a record.")
        )
    initial = {name: getattr(event, name) for name in EventCorrectionForm.base_fields}
    form = EventCorrectionForm(
        request.POST or None, initial=initial, places=_places_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        changes = form.changes(event)
        if not changes:
            messages.info(request, _("Nothing to change."))
            return redirect("registry_event_detail", event.public_id)
        before = {name: str(getattr(event, name)) for name in changes}
        try:
            training_event_update(event=event, **changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit_record(
                user=request.user,
                action="event.correct",
                target=event,
                detail={
                    "before": before,
                    "after": {name: str(value) for name, value in changes.items()},
                },
                ip_address=_ip(request),
            )
            messages.success(
                request, _("The event was corrected; its participations and every count follow.")
            )
            return redirect("registry_event_detail", event.public_id)
    return render(request, "trainees/event_correct.html", {"event": event, "form": form})


@login_required
def session_index(request):
    _require_staff(request)
    sessions = (
        aggregate_sessions_visible(user=request.user)
        .select_related("programme", "place", "field_office")
        .annotate(total=Sum("counts__count"))
        .order_by("-date", "title", "pk")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "trainees/session_index.html", {"page": page})


@login_required
def session_new(request):
    _require_staff(request)
    form = AggregateSessionForm(request.POST or None, places=_places_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = aggregate_session_record(
                title=data["title"],
                programme=data["programme"],
                kind=data["kind"],
                date=data["date"],
                place=data["place"],
                counts=form.counts(),
                age_scheme=form.SCHEME,
                notes=data["notes"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit_record(
                user=request.user,
                action="aggregate_session.create",
                target=session,
                detail={"total": sum(form.counts().values())},
                ip_address=_ip(request),
            )
            messages.success(request, _("The session was recorded."))
            return redirect("registry_session_index")
    return render(request, "trainees/session_new.html", {"form": form})
