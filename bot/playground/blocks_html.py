"""Block Kit as the page draws it: safe HTML with data attributes the page's script acts on.

Only what the bot sends is drawn; any block or element type not known here is shown as a plain
notice that the playground does not draw it, so nothing the bot sends disappears silently.
Interactive elements carry ``data-act`` (click, choose, select) and ``data-action-id``; the
enclosing message or view says where the action came from. Inputs inside modals carry
``data-field`` (their element type) for the script to read back as view state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from bot.playground.mrkdwn_html import Reader, escape, mrkdwn_html, permalink, plain_html

UNSUPPORTED_BLOCK: Final = "The playground does not draw “{type}” blocks."
UNSUPPORTED_ELEMENT: Final = "The playground does not draw “{type}” elements."
IMAGE_NOT_LOADED: Final = "Image: {alt} (the playground loads nothing from the web)"
FILE_SHARED: Final = (
    "File: {name} (the playground shows shared files other than images by name only)"
)
#: Where the page serves a shared image's bytes (from the local Slack; nothing from the web).
FILE_PATH: Final = "/play/file/{id}"
_IMAGE_TYPES: Final = ("image/png", "image/jpeg", "image/gif")

Json = Mapping[str, Any]

_TEXT_INPUTS: Final = {
    "plain_text_input": "text",
    "url_text_input": "url",
    "email_text_input": "email",
    "number_input": "number",
}


def text_html(obj: Any, reader: Reader) -> str:
    """A text object (plain_text or mrkdwn), or a bare string, as HTML."""
    if isinstance(obj, str):
        return plain_html(obj)
    if not isinstance(obj, Mapping):
        return ""
    text = str(obj.get("text") or "")
    return mrkdwn_html(text, reader) if obj.get("type") == "mrkdwn" else plain_html(text)


def _label(obj: Any) -> str:
    if isinstance(obj, Mapping):
        return str(obj.get("text") or "")
    return str(obj or "")


def _notice(template: str, kind: Any) -> str:
    return f'<div class="bk-unsupported">{escape(template.format(type=str(kind)))}</div>'


def _options(element: Json) -> Iterable[Json]:
    yield from element.get("options") or []
    for group in element.get("option_groups") or []:
        yield from group.get("options") or []


def _confirm(element: Json) -> str:
    confirm = element.get("confirm")
    if not isinstance(confirm, Mapping):
        return ""
    question = " ".join(
        part for part in (_label(confirm.get("title")), _label(confirm.get("text"))) if part.strip()
    )
    return f' data-confirm="{escape(question or "Are you sure?")}"'


def _button(element: Json, reader: Reader) -> str:
    style = str(element.get("style") or "")
    css = "bk-btn" + (f" bk-{style}" if style in ("primary", "danger") else "")
    attrs = f'data-act="click" data-action-id="{escape(str(element.get("action_id", "")))}"'
    url = element.get("url")
    local = permalink(url, reader) if isinstance(url, str) else None
    if local is not None:
        attrs += f' data-goto-channel="{escape(local[0])}" data-goto-ts="{escape(local[1])}"'
    elif isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        attrs += f' data-url="{escape(url)}"'
    return (
        f'<button type="button" class="{css}" {attrs}{_confirm(element)}>'
        f"{text_html(element.get('text'), reader)}</button>"
    )


def _overflow(element: Json, reader: Reader) -> str:
    action_id = escape(str(element.get("action_id", "")))
    items = "".join(
        f'<button type="button" class="bk-menu-item" data-act="choose" '
        f'data-action-id="{action_id}" data-value="{escape(str(option.get("value", "")))}"'
        f"{_confirm(element)}>{text_html(option.get('text'), reader)}</button>"
        for option in _options(element)
    )
    return (
        f'<details class="bk-overflow"><summary title="More actions" aria-label="More actions">'
        f'⋯</summary><div class="bk-menu">{items}</div></details>'
    )


def _select(element: Json, reader: Reader, *, act: str) -> str:
    action_id = escape(str(element.get("action_id", "")))
    placeholder = _label(element.get("placeholder")) or "Choose…"
    initial = element.get("initial_option") or {}
    options = [f'<option value="" disabled selected>{plain_html(placeholder)}</option>']
    for option in _options(element):
        value = str(option.get("value", ""))
        chosen = " selected" if value == str(initial.get("value", "\0")) else ""
        options.append(
            f'<option value="{escape(value)}"{chosen}>{plain_html(_label(option.get("text")))}'
            "</option>"
        )
    return (
        f'<select class="bk-select" {act} data-action-id="{action_id}">{"".join(options)}</select>'
    )


def element_html(element: Any, reader: Reader) -> str:
    """An interactive element of a message, Home or modal section (not an input block's)."""
    if not isinstance(element, Mapping):
        return ""
    kind = element.get("type")
    if kind == "button":
        return _button(element, reader)
    if kind == "overflow":
        return _overflow(element, reader)
    if kind == "static_select":
        return _select(element, reader, act='data-act="select"')
    if kind == "users_select":
        return _people_select(element, reader, act='data-act="select"')
    if kind == "image":
        alt = str(element.get("alt_text") or "image")
        return f'<span class="bk-image">{escape(IMAGE_NOT_LOADED.format(alt=alt))}</span>'
    return _notice(UNSUPPORTED_ELEMENT, kind)


def _initial_values(element: Json) -> set[str]:
    """The option values an element starts with chosen (initial_option or initial_options)."""
    chosen = {str(o.get("value")) for o in element.get("initial_options") or []}
    if isinstance(element.get("initial_option"), Mapping):
        chosen.add(str(element["initial_option"].get("value")))
    return chosen


def _choice_inputs(element: Json, reader: Reader, *, kind: str) -> str:
    action_id = escape(str(element.get("action_id", "")))
    initial = _initial_values(element)
    rows = []
    for option in _options(element):
        value = str(option.get("value", ""))
        checked = " checked" if value in initial else ""
        rows.append(
            f'<label class="bk-choice"><input type="{kind}" name="{action_id}" '
            f'value="{escape(value)}" data-label="{escape(_label(option.get("text")))}"'
            f"{checked}> {text_html(option.get('text'), reader)}</label>"
        )
    field = "checkboxes" if kind == "checkbox" else "radio_buttons"
    return (
        f'<div class="bk-choices" data-field="{field}" data-action-id="{action_id}">'
        f"{''.join(rows)}</div>"
    )


def _people_select(element: Json, reader: Reader, *, multiple: bool = False, act: str = "") -> str:
    """A users_select (or multi): in a modal it is read back as state (``data-field``); in a
    message or Home (``act``) choosing a person is an action."""
    action_id = escape(str(element.get("action_id", "")))
    chosen = set(element.get("initial_users") or [])
    if element.get("initial_user"):
        chosen.add(str(element["initial_user"]))
    field = "multi_users_select" if multiple else "users_select"
    placeholder = plain_html(_label(element.get("placeholder")) or "Choose a person…")
    options = [] if multiple else [f'<option value="">{placeholder}</option>']
    for user_id, name in reader.users.items():
        selected = " selected" if user_id in chosen else ""
        options.append(f'<option value="{escape(user_id)}"{selected}>{escape(name)}</option>')
    many = " multiple" if multiple else ""
    role = act or f'data-field="{field}"'
    return (
        f'<select class="bk-select" {role} data-action-id="{action_id}"{many}>'
        f"{''.join(options)}</select>"
    )


def input_element_html(element: Any, reader: Reader) -> str:
    """The element of an ``input`` block, as a form control the script reads back."""
    if not isinstance(element, Mapping):
        return ""
    kind = str(element.get("type"))
    action_id = escape(str(element.get("action_id", "")))
    placeholder = escape(_label(element.get("placeholder")))
    if kind in _TEXT_INPUTS:
        initial = escape(str(element.get("initial_value") or ""))
        limit = element.get("max_length")
        maxlength = f' maxlength="{int(limit)}"' if isinstance(limit, int) else ""
        common = (
            f'data-field="{kind}" data-action-id="{action_id}" placeholder="{placeholder}"'
            f"{maxlength}"
        )
        if element.get("multiline"):
            return f'<textarea class="bk-textarea" rows="3" {common}>{initial}</textarea>'
        return (
            f'<input class="bk-text-input" type="{_TEXT_INPUTS[kind]}" {common} value="{initial}">'
        )
    if kind in ("static_select", "multi_static_select"):
        multiple = kind == "multi_static_select"
        chosen = _initial_values(element)
        options = [] if multiple else ['<option value="">Choose…</option>']
        for option in _options(element):
            value = str(option.get("value", ""))
            selected = " selected" if value in chosen else ""
            options.append(
                f'<option value="{escape(value)}"{selected}>'
                f"{plain_html(_label(option.get('text')))}</option>"
            )
        many = " multiple" if multiple else ""
        return (
            f'<select class="bk-select" data-field="{kind}" data-action-id="{action_id}"{many}>'
            f"{''.join(options)}</select>"
        )
    if kind in ("users_select", "multi_users_select"):
        return _people_select(element, reader, multiple=kind.startswith("multi"))
    if kind == "datepicker":
        initial = escape(str(element.get("initial_date") or ""))
        return (
            f'<input class="bk-text-input" type="date" data-field="datepicker" '
            f'data-action-id="{action_id}" value="{initial}">'
        )
    if kind == "timepicker":
        initial = escape(str(element.get("initial_time") or ""))
        return (
            f'<input class="bk-text-input" type="time" data-field="timepicker" '
            f'data-action-id="{action_id}" value="{initial}">'
        )
    if kind == "checkboxes":
        return _choice_inputs(element, reader, kind="checkbox")
    if kind == "radio_buttons":
        return _choice_inputs(element, reader, kind="radio")
    return _notice(UNSUPPORTED_ELEMENT, kind)


def _section(block: Json, reader: Reader) -> str:
    parts = []
    if block.get("text"):
        parts.append(f'<div class="bk-text">{text_html(block["text"], reader)}</div>')
    fields = block.get("fields") or []
    if fields:
        cells = "".join(f'<div class="bk-field">{text_html(f, reader)}</div>' for f in fields)
        parts.append(f'<div class="bk-fields">{cells}</div>')
    body = f'<div class="bk-section-body">{"".join(parts)}</div>'
    accessory = block.get("accessory")
    side = f'<div class="bk-accessory">{element_html(accessory, reader)}</div>' if accessory else ""
    return f'<div class="bk-section">{body}{side}</div>'


def _context(block: Json, reader: Reader) -> str:
    items = []
    for element in block.get("elements") or []:
        if isinstance(element, Mapping) and element.get("type") in ("mrkdwn", "plain_text"):
            items.append(f"<span>{text_html(element, reader)}</span>")
        else:
            items.append(element_html(element, reader))
    return f'<div class="bk-context">{"".join(items)}</div>'


def _actions(block: Json, reader: Reader) -> str:
    items = "".join(element_html(e, reader) for e in block.get("elements") or [])
    return f'<div class="bk-actions">{items}</div>'


def _input(block: Json, reader: Reader) -> str:
    block_id = escape(str(block.get("block_id", "")))
    optional = ' <span class="bk-optional">(optional)</span>' if block.get("optional") else ""
    hint = block.get("hint")
    hint_html = f'<div class="bk-hint">{text_html(hint, reader)}</div>' if hint else ""
    return (
        f'<div class="bk-input" data-block-id="{block_id}">'
        f'<label class="bk-label">{text_html(block.get("label"), reader)}{optional}</label>'
        f"{input_element_html(block.get('element'), reader)}{hint_html}"
        f'<div class="bk-error" data-error-for="{block_id}" role="alert"></div></div>'
    )


def _rich_section(elements: Any, reader: Reader) -> str:
    out = []
    for element in elements or []:
        if not isinstance(element, Mapping):
            continue
        kind = element.get("type")
        if kind == "text":
            piece = escape(str(element.get("text", ""))).replace("\n", "<br>")
            style = element.get("style") or {}
            for flag, tag in (("bold", "b"), ("italic", "i"), ("strike", "s"), ("code", "code")):
                if style.get(flag):
                    piece = f"<{tag}>{piece}</{tag}>"
            out.append(piece)
        elif kind == "link":
            url = str(element.get("url", ""))
            label = str(element.get("text") or url)
            out.append(mrkdwn_html(f"<{url}|{label}>", reader))
        elif kind == "user":
            out.append(mrkdwn_html(f"<@{element.get('user_id', '')}>", reader))
        elif kind == "channel":
            out.append(mrkdwn_html(f"<#{element.get('channel_id', '')}>", reader))
        elif kind == "emoji":
            out.append(mrkdwn_html(f":{element.get('name', '')}:", reader))
        else:
            out.append(escape(str(element.get("text", ""))))
    return "".join(out)


def _rich_text(block: Json, reader: Reader) -> str:
    parts = []
    for element in block.get("elements") or []:
        if not isinstance(element, Mapping):
            continue
        kind = element.get("type")
        inner = element.get("elements")
        if kind == "rich_text_section":
            parts.append(f"<div>{_rich_section(inner, reader)}</div>")
        elif kind == "rich_text_quote":
            parts.append(f"<blockquote>{_rich_section(inner, reader)}</blockquote>")
        elif kind == "rich_text_preformatted":
            parts.append(f"<pre>{_rich_section(inner, reader)}</pre>")
        elif kind == "rich_text_list":
            tag = "ol" if element.get("style") == "ordered" else "ul"
            items = "".join(
                f"<li>{_rich_section(item.get('elements'), reader)}</li>"
                for item in inner or []
                if isinstance(item, Mapping)
            )
            parts.append(f"<{tag}>{items}</{tag}>")
        else:
            parts.append(_notice(UNSUPPORTED_ELEMENT, kind))
    return f'<div class="bk-rich">{"".join(parts)}</div>'


def block_html(block: Any, reader: Reader) -> str:
    """One block as HTML, or a notice naming a type the playground does not draw."""
    if not isinstance(block, Mapping):
        return _notice(UNSUPPORTED_BLOCK, type(block).__name__)
    kind = block.get("type")
    block_id = escape(str(block.get("block_id", "")))
    if kind == "section":
        inner = _section(block, reader)
    elif kind == "context":
        inner = _context(block, reader)
    elif kind == "actions":
        inner = _actions(block, reader)
    elif kind == "header":
        inner = f'<div class="bk-header">{text_html(block.get("text"), reader)}</div>'
    elif kind == "divider":
        inner = '<hr class="bk-divider">'
    elif kind == "input":
        return _input(block, reader)
    elif kind == "rich_text":
        inner = _rich_text(block, reader)
    elif kind == "markdown":
        inner = f'<div class="bk-text">{mrkdwn_html(str(block.get("text", "")), reader)}</div>'
    elif kind == "image":
        alt = str(block.get("alt_text") or "image")
        inner = f'<div class="bk-image">{escape(IMAGE_NOT_LOADED.format(alt=alt))}</div>'
    else:
        inner = _notice(UNSUPPORTED_BLOCK, kind)
    return f'<div class="bk-block" data-block-id="{block_id}">{inner}</div>'


def blocks_html(blocks: Sequence[Any] | None, reader: Reader) -> str:
    """A list of blocks as HTML."""
    return "".join(block_html(block, reader) for block in blocks or [])


def _file_html(shared: Json) -> str:
    """A shared image drawn from the page's own server; any other file by its name."""
    name = str(shared.get("title") or shared.get("name") or "a file")
    file_id = str(shared.get("id") or "")
    if shared.get("mimetype") in _IMAGE_TYPES and file_id.isalnum():
        alt = str(shared.get("alt_txt") or name)
        return (
            f'<figure class="bk-file bk-image-file"><img src="{FILE_PATH.format(id=file_id)}" '
            f'alt="{escape(alt)}"><figcaption>{escape(name)}</figcaption></figure>'
        )
    return f'<div class="bk-file">{escape(FILE_SHARED.format(name=name))}</div>'


def message_body_html(message: Json, reader: Reader) -> str:
    """A message's content as Slack shows it: its blocks, or else its text; then attachments."""
    blocks = message.get("blocks")
    if blocks:
        body = blocks_html(blocks, reader)
    else:
        body = f'<div class="bk-text">{mrkdwn_html(str(message.get("text") or ""), reader)}</div>'
    for shared in message.get("files") or []:
        if isinstance(shared, Mapping):
            body += _file_html(shared)
    for attachment in message.get("attachments") or []:
        if not isinstance(attachment, Mapping):
            continue
        inner = blocks_html(attachment.get("blocks"), reader) if attachment.get("blocks") else ""
        if attachment.get("text"):
            inner += mrkdwn_html(str(attachment["text"]), reader)
        body += f'<div class="bk-attachment">{inner}</div>'
    return body
