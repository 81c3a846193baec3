"""A report's script is the reporter's: its variables and string literals name nothing in
the project, so they are not searched (a gallery example the reporter copied holds them
all, and led the search before the library module the report is about)."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, search
from splice.search.bugreport import without_scripts
from splice.search.index import forget_memory
from splice.search.terms import extract_terms

# Shaped like matplotlib-24637: prose, a fenced script copied from a gallery example, its
# printed output, and a traceback block.
REPORT = '''AnnotationBbox gid not passed to renderer

I can use set_gid but when I save to an svg, the gid label for the images is missing.

```python
import matplotlib.pyplot as plt
from matplotlib.offsetbox import (OffsetImage, AnnotationBbox)

fig, ax = plt.subplots()
arr_img = plt.imread("undraw_flowers_vx06.png")
imagebox = OffsetImage(arr_img, zoom=0.1)
imagebox.image.axes = ax
ab = AnnotationBbox(imagebox, [0.3, 0.55], boxcoords="offset points",
                    arrowprops=dict(connectionstyle="angle,angleA=0,angleB=90,rad=3"))
ab.set_gid('My_label')
ax.add_artist(ab)
print(f"GID = {ab.get_gid()}")
```

which prints `GID = My_label`. Saving with a big canvas fails too:

```
Traceback (most recent call last):
  File "repro.py", line 14, in <module>
ValueError: "canvas too large for the svg writer"
```
'''


def test_a_scripts_variables_and_string_literals_are_not_terms() -> None:
    terms = {t.text for t in extract_terms(REPORT).terms}
    # the reporter's variables, alone or as the receiver of a call
    assert not {"arr_img", "imagebox", "ab.set_gid", "ax.add_artist",
                "imagebox.image.axes"} & terms
    assert {"set_gid", "add_artist", "image.axes", "AnnotationBbox", "OffsetImage"} <= terms
    # the script's string literals are its data ...
    assert not {"offset points", "angle,angleA=0,angleB=90,rad=3", "GID = {ab.get_gid()}"} \
        & terms
    # ... but what the project printed (a traceback's error line) is still a phrase
    assert "canvas too large for the svg writer" in terms
    assert "plt.subplots" in terms  # `plt` is an import alias, not a variable


def test_without_scripts_keeps_output_blocks_and_prose() -> None:
    text = ('See "the quoted words" here.\n```python\nx.plot(label="a b c")\n```\n'
            '```\nTraceback (most recent call last):\n  File "a.py", line 1\nKeyError: "k"\n```\n'
            '>>> f("typed at a prompt")\n')
    kept = without_scripts(text)
    assert '"the quoted words"' in kept and 'KeyError: "k"' in kept
    assert "a b c" not in kept and "typed at a prompt" not in kept


EXAMPLE = '''"""Annotation boxes: images and text placed at a point with an arrow."""
import matplotlib.pyplot as plt
from matplotlib.offsetbox import AnnotationBbox, OffsetImage

fig, ax = plt.subplots()
arr_img = plt.imread("grace_hopper.jpg")
imagebox = OffsetImage(arr_img, zoom=0.2)
imagebox.image.axes = ax
ab = AnnotationBbox(imagebox, [0.7, 0.4], boxcoords="offset points",
                    arrowprops=dict(connectionstyle="angle,angleA=0,angleB=90,rad=3"))
ax.add_artist(ab)
plt.show()
'''

OFFSETBOX = '''"""Containers that place child artists relative to a parent or a point."""


class OffsetImage:
    def __init__(self, arr, zoom=1):
        self.image = arr
        self.zoom = zoom

    def draw(self, renderer):
        renderer.draw_image(self.image)


class DrawingArea:
    def add_artist(self, a):
        self._children.append(a)


class AnnotationBbox:
    def __init__(self, offsetbox, xy, boxcoords=None, arrowprops=None):
        self.offsetbox = offsetbox
        self.xy = xy

    def draw(self, renderer):
        # the box and its arrow are drawn; the artist's gid is not opened in the renderer
        self.offsetbox.draw(renderer)
'''

ARTIST = '''class Artist:
    def set_gid(self, gid):
        self._gid = gid

    def get_gid(self):
        return self._gid
'''


async def test_the_library_module_leads_the_example_the_script_was_copied_from(
        tmp_path: Path) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "demo_annotation_box.py").write_text(EXAMPLE)
    for n in range(6):  # the rest of the gallery: plots with the same calls
        (tmp_path / "examples" / f"plot_{n}.py").write_text(
            f"import matplotlib.pyplot as plt\n\nfig, ax = plt.subplots()\n"
            f"img = plt.imread('sample_{n}.png')\nax.add_artist(ax.imshow(img))\nplt.show()\n")
    lib = tmp_path / "lib" / "matplotlib"
    lib.mkdir(parents=True)
    (lib / "offsetbox.py").write_text(OFFSETBOX)
    (lib / "artist.py").write_text(ARTIST)
    forget_memory(tmp_path)
    result = await search(SearchRequest(query=REPORT.replace("\n", "\r\n"), repo=str(tmp_path),
                                        max_tokens=4000, planner="deterministic"))
    assert result.spans[0].path == "lib/matplotlib/offsetbox.py"


def test_tuple_targets_are_the_scripts_variables_and_a_call_is_not() -> None:
    terms = {t.text for t in extract_terms(
        "```python\nimport matplotlib.pyplot as plt\n\n"
        "fig, (ax1, ax2) = plt.subplots(1, 2, subplot_kw={'projection': '3d'})\n"
        "ax1.scatter(1, 1, 1)\nax1.set_visible(False)\nplt.plot(x, y=1)\n```").terms}
    assert not {"ax1", "ax2", "ax1.scatter", "ax1.set_visible"} & terms
    assert {"scatter", "set_visible", "plt.plot", "subplot_kw"} <= terms
