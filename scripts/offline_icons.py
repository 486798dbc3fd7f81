"""Draw the installable app's icons (static/offline/icon-*.png) from the favicon's design:
a warning triangle on the platform's blue. Run again after changing the design:
    .venv/bin/python scripts/offline_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE, AMBER, INK = (11, 79, 138), (242, 169, 0), (27, 31, 36)
OUT = Path(__file__).resolve().parent.parent / "static" / "offline"


def icon(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges without an anti-aliasing library
    big = size * scale
    image = Image.new("RGB" if maskable else "RGBA", (big, big), BLUE if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if not maskable:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big // 5, fill=BLUE)
    # A maskable icon keeps its drawing inside the central 80 % safe zone.
    inset = big * (0.24 if maskable else 0.16)
    top, bottom = inset + big * 0.02, big - inset
    draw.polygon([(big / 2, top), (big - inset, bottom), (inset, bottom)], fill=AMBER)
    bar = big * 0.06
    draw.rectangle(
        [
            big / 2 - bar / 2,
            top + (bottom - top) * 0.32,
            big / 2 + bar / 2,
            top + (bottom - top) * 0.7,
        ],
        fill=INK,
    )
    dot = top + (bottom - top) * 0.78
    draw.rectangle([big / 2 - bar / 2, dot, big / 2 + bar / 2, dot + bar], fill=INK)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
