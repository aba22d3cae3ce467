"""A page's form drawn again as typed: the values sent, the field refused marked."""

from __future__ import annotations

from kam.web.typed import Refusal, refill

PAGE = """<main>
<form method="post" action="/clients/A%20%26%20B/override" class="filters">
  <input type="hidden" name="csrf_token" value="t1">
  <label>Class <select name="abc_class"><option>A</option><option>B</option></select></label>
  <label>Reason <input name="reason" required maxlength="500"></label>
  <label>Until <input type="date" name="until"></label>
  <label><input type="checkbox" name="close" value="1" checked> Close</label>
  <textarea name="note">kept</textarea>
</form>
<form method="post" action="/clients/A%20%26%20B/override/clear"><button>Clear</button></form>
</main>"""


def test_the_form_sent_is_filled_as_typed_and_the_field_refused_is_marked() -> None:
    sent = {
        "csrf_token": ["t1"],
        "abc_class": ["B"],
        "reason": ['Their "biggest" order'],
        "until": ["2026-02-30"],
        "note": ["<b>new</b>"],
    }
    drawn = refill(PAGE, "/clients/A & B/override", sent, Refusal("until", "not a day"))
    assert "<option selected>B</option>" in drawn and "<option>A</option>" in drawn
    assert 'value="Their &quot;biggest&quot; order"' in drawn
    assert (
        '<input type="date" name="until" value="2026-02-30" aria-invalid="true" '
        'aria-describedby="refused-until"> <span class="error" id="refused-until">'
        "not a day</span>"
    ) in drawn
    assert 'value="1">' in drawn and "checked" not in drawn  # the box was not ticked
    assert '<textarea name="note">&lt;b&gt;new&lt;/b&gt;</textarea>' in drawn
    assert 'name="csrf_token" value="t1"' in drawn


def test_a_refusal_naming_no_field_marks_the_only_field_of_the_form() -> None:
    page = '<form method="post" action="/x"><input name="notes" maxlength="5"></form>'
    drawn = refill(page, "/x", {"notes": ["too long"]}, Refusal("", "at most 5"))
    assert 'value="too long" aria-invalid="true"' in drawn
    assert '<span class="error" id="refused-notes">at most 5</span>' in drawn


def test_another_form_of_the_page_is_left_as_it_is() -> None:
    sent = {"reason": ["x"]}
    assert refill(PAGE, "/clients/A & B/elsewhere", sent, Refusal("reason", "no")) == PAGE
