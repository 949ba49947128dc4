"""Block Kit limits as Slack enforces them, and the visible text of a message for assertions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
MAX_ID = 255
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_SECTION_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_SELECT_OPTIONS = 100
MAX_PLACEHOLDER = 150
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_LABEL = 2000
MAX_MODAL_TITLE = 24
MAX_MODAL_BUTTON = 24
MAX_PRIVATE_METADATA = 3000

BLOCK_TYPES = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "video",
    }
)
SELECT_TYPES = frozenset(
    {
        "static_select",
        "multi_static_select",
        "external_select",
        "multi_external_select",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
    }
)
ELEMENT_TYPES = SELECT_TYPES | {
    "button",
    "checkboxes",
    "datepicker",
    "datetimepicker",
    "email_text_input",
    "file_input",
    "image",
    "number_input",
    "overflow",
    "plain_text_input",
    "radio_buttons",
    "rich_text_input",
    "timepicker",
    "url_text_input",
    "workflow_button",
}


def _error(text: str, pointer: str) -> str:
    return f"[ERROR] {text} [json-pointer:{pointer}]"


def _too_long(limit: int, pointer: str) -> str:
    return _error(f"must be less than {limit + 1} characters", pointer)


def _too_many(limit: int, pointer: str) -> str:
    return _error(f"must be less than {limit + 1} items", pointer)


class _Checker:
    """Walks blocks collecting Slack-style error lines; one instance per request."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.block_ids: set[str] = set()

    def add(self, message: str) -> None:
        self.errors.append(message)

    def text_object(
        self,
        obj: Any,
        pointer: str,
        *,
        limit: int,
        plain_only: bool = False,
        required: bool = True,
    ) -> None:
        if obj is None:
            if required:
                field = pointer.rsplit("/", 1)[-1]
                parent = pointer.rsplit("/", 1)[0]
                self.add(_error(f"missing required field: {field}", parent))
            return
        if not isinstance(obj, Mapping):
            self.add(_error("must provide an object", pointer))
            return
        kinds = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if obj.get("type") not in kinds:
            self.add(_error("must be a valid enum value", f"{pointer}/type"))
        text = obj.get("text")
        if not isinstance(text, str):
            self.add(_error("missing required field: text", pointer))
        elif len(text) == 0:
            self.add(_error("must be more than 0 characters", f"{pointer}/text"))
        elif len(text) > limit:
            self.add(_too_long(limit, f"{pointer}/text"))

    def short_string(self, value: Any, pointer: str, limit: int) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.add(_error("must be a string", pointer))
        elif len(value) > limit:
            self.add(_too_long(limit, pointer))

    def options(self, options: Any, pointer: str, *, minimum: int, maximum: int) -> None:
        if not isinstance(options, list):
            self.add(_error("must provide an array", pointer))
            return
        if len(options) < minimum:
            self.add(_error(f"must be at least {minimum} items", pointer))
        if len(options) > maximum:
            self.add(_too_many(maximum, pointer))
        for index, option in enumerate(options):
            where = f"{pointer}/{index}"
            if not isinstance(option, Mapping):
                self.add(_error("must provide an object", where))
                continue
            self.text_object(option.get("text"), f"{where}/text", limit=MAX_OPTION_TEXT)
            value = option.get("value")
            if value is None:
                self.add(_error("missing required field: value", where))
            else:
                self.short_string(value, f"{where}/value", MAX_OPTION_VALUE)

    def element(self, element: Any, pointer: str, action_ids: set[str]) -> None:
        if not isinstance(element, Mapping):
            self.add(_error("must provide an object", pointer))
            return
        kind = element.get("type")
        if kind not in ELEMENT_TYPES:
            self.add(_error("failed to match all allowed schemas", pointer))
            return
        if kind == "image":
            self.short_string(element.get("image_url"), f"{pointer}/image_url", MAX_URL)
            return
        action_id = element.get("action_id")
        if action_id is not None:
            self.short_string(action_id, f"{pointer}/action_id", MAX_ID)
            if action_id in action_ids:
                self.add(_error("duplicate action_id", f"{pointer}/action_id"))
            action_ids.add(str(action_id))
        if kind == "button":
            self.text_object(
                element.get("text"), f"{pointer}/text", limit=MAX_BUTTON_TEXT, plain_only=True
            )
            self.short_string(element.get("value"), f"{pointer}/value", MAX_BUTTON_VALUE)
            self.short_string(element.get("url"), f"{pointer}/url", MAX_URL)
            style = element.get("style")
            if style is not None and style not in ("primary", "danger"):
                self.add(_error("must be a valid enum value", f"{pointer}/style"))
        elif kind == "overflow":
            self.options(element.get("options"), f"{pointer}/options", minimum=1, maximum=5)
        elif kind in ("static_select", "multi_static_select"):
            if "option_groups" in element:
                groups = element["option_groups"]
                if isinstance(groups, list) and len(groups) > MAX_SELECT_OPTIONS:
                    self.add(_too_many(MAX_SELECT_OPTIONS, f"{pointer}/option_groups"))
            else:
                self.options(
                    element.get("options"),
                    f"{pointer}/options",
                    minimum=1,
                    maximum=MAX_SELECT_OPTIONS,
                )
        elif kind in ("checkboxes", "radio_buttons"):
            self.options(element.get("options"), f"{pointer}/options", minimum=1, maximum=10)
        if kind in SELECT_TYPES or kind.endswith("_input") or kind.endswith("picker"):
            placeholder = element.get("placeholder")
            if placeholder is not None:
                self.text_object(
                    placeholder,
                    f"{pointer}/placeholder",
                    limit=MAX_PLACEHOLDER,
                    plain_only=True,
                )

    def block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, Mapping):
            self.add(_error("must provide an object", pointer))
            return
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            self.add(_error("failed to match all allowed schemas", pointer))
            return
        block_id = block.get("block_id")
        if block_id is not None:
            self.short_string(block_id, f"{pointer}/block_id", MAX_ID)
            if block_id in self.block_ids:
                self.add(_error("duplicate block_id", f"{pointer}/block_id"))
            self.block_ids.add(str(block_id))
        action_ids: set[str] = set()
        if kind == "section":
            self._section(block, pointer, action_ids)
        elif kind == "header":
            self.text_object(
                block.get("text"), f"{pointer}/text", limit=MAX_HEADER_TEXT, plain_only=True
            )
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not elements:
                self.add(_error("missing required field: elements", pointer))
                return
            if len(elements) > MAX_CONTEXT_ELEMENTS:
                self.add(_too_many(MAX_CONTEXT_ELEMENTS, f"{pointer}/elements"))
            for index, element in enumerate(elements):
                where = f"{pointer}/elements/{index}"
                if isinstance(element, Mapping) and element.get("type") == "image":
                    self.short_string(element.get("image_url"), f"{where}/image_url", MAX_URL)
                else:
                    self.text_object(element, where, limit=MAX_SECTION_TEXT)
        elif kind == "actions":
            elements = block.get("elements")
            if not isinstance(elements, list) or not elements:
                self.add(_error("missing required field: elements", pointer))
                return
            if len(elements) > MAX_ACTIONS_ELEMENTS:
                self.add(_too_many(MAX_ACTIONS_ELEMENTS, f"{pointer}/elements"))
            for index, element in enumerate(elements):
                self.element(element, f"{pointer}/elements/{index}", action_ids)
        elif kind == "input":
            self.text_object(
                block.get("label"), f"{pointer}/label", limit=MAX_LABEL, plain_only=True
            )
            if block.get("hint") is not None:
                self.text_object(block["hint"], f"{pointer}/hint", limit=MAX_LABEL, plain_only=True)
            if block.get("element") is None:
                self.add(_error("missing required field: element", pointer))
            else:
                self.element(block["element"], f"{pointer}/element", action_ids)
        elif kind == "image":
            self.short_string(block.get("image_url"), f"{pointer}/image_url", MAX_URL)
            self.short_string(block.get("alt_text"), f"{pointer}/alt_text", MAX_LABEL)

    def _section(self, block: Mapping[str, Any], pointer: str, action_ids: set[str]) -> None:
        text = block.get("text")
        fields = block.get("fields")
        if text is None and fields is None:
            self.add(_error("missing required field: text", pointer))
        if text is not None:
            self.text_object(text, f"{pointer}/text", limit=MAX_SECTION_TEXT)
        if fields is not None:
            if not isinstance(fields, list):
                self.add(_error("must provide an array", f"{pointer}/fields"))
            else:
                if len(fields) > MAX_SECTION_FIELDS:
                    self.add(_too_many(MAX_SECTION_FIELDS, f"{pointer}/fields"))
                for index, field in enumerate(fields):
                    self.text_object(
                        field, f"{pointer}/fields/{index}", limit=MAX_SECTION_FIELD_TEXT
                    )
        if block.get("accessory") is not None:
            self.element(block["accessory"], f"{pointer}/accessory", action_ids)

    def blocks(self, blocks: Any, pointer: str, limit: int) -> None:
        if not isinstance(blocks, list):
            self.add(_error("must provide an array", pointer))
            return
        if len(blocks) > limit:
            self.add(_too_many(limit, pointer))
        for index, block in enumerate(blocks):
            self.block(block, f"{pointer}/{index}")


def message_block_errors(blocks: Any) -> list[str]:
    """Return Slack's `response_metadata.messages` for invalid message blocks (empty when valid)."""
    checker = _Checker()
    checker.blocks(blocks, "/blocks", MAX_MESSAGE_BLOCKS)
    return checker.errors


def view_errors(view: Any) -> list[str]:
    """Return Slack's `response_metadata.messages` for an invalid view (empty when valid)."""
    checker = _Checker()
    if not isinstance(view, Mapping):
        return [_error("must provide an object", "/view")]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [_error("failed to match all allowed schemas", "/view")]
    if kind == "modal":
        checker.text_object(
            view.get("title"), "/view/title", limit=MAX_MODAL_TITLE, plain_only=True
        )
        for button in ("submit", "close"):
            if view.get(button) is not None:
                checker.text_object(
                    view[button], f"/view/{button}", limit=MAX_MODAL_BUTTON, plain_only=True
                )
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(block, Mapping) and block.get("type") == "input" for block in blocks
        )
        if has_input and view.get("submit") is None:
            checker.add(_error("missing required field: submit", "/view"))
    checker.short_string(view.get("private_metadata"), "/view/private_metadata", 3000)
    checker.short_string(view.get("callback_id"), "/view/callback_id", MAX_ID)
    checker.short_string(view.get("external_id"), "/view/external_id", MAX_ID)
    if "blocks" not in view:
        checker.add(_error("missing required field: blocks", "/view"))
    else:
        checker.blocks(view["blocks"], "/view/blocks", MAX_VIEW_BLOCKS)
    return checker.errors


def _text_of(obj: Any) -> str:
    if isinstance(obj, Mapping) and isinstance(obj.get("text"), str):
        return str(obj["text"])
    return ""


def _rich_text(elements: Any) -> Iterator[str]:
    if not isinstance(elements, list):
        return
    for element in elements:
        if not isinstance(element, Mapping):
            continue
        kind = element.get("type")
        if kind == "text":
            yield str(element.get("text", ""))
        elif kind == "link":
            yield str(element.get("text") or element.get("url", ""))
        elif kind == "user":
            yield f"<@{element.get('user_id', '')}>"
        elif kind == "channel":
            yield f"<#{element.get('channel_id', '')}>"
        elif kind == "emoji":
            yield f":{element.get('name', '')}:"
        elif "elements" in element:
            yield "".join(_rich_text(element["elements"]))


def _element_text(element: Any) -> Iterator[str]:
    if not isinstance(element, Mapping):
        return
    if element.get("type") == "button":
        yield _text_of(element.get("text"))
    elif "placeholder" in element:
        yield _text_of(element.get("placeholder"))
    initial = element.get("initial_option")
    if isinstance(initial, Mapping):
        yield _text_of(initial.get("text"))


def _block_lines(blocks: Any) -> Iterator[str]:
    if not isinstance(blocks, list):
        return
    for block in blocks:
        if not isinstance(block, Mapping):
            continue
        kind = block.get("type")
        if kind in ("section", "header"):
            yield _text_of(block.get("text"))
            for field in block.get("fields") or []:
                yield _text_of(field)
            yield from _element_text(block.get("accessory"))
        elif kind == "context":
            yield " ".join(_text_of(element) for element in block.get("elements") or [])
        elif kind == "actions":
            for element in block.get("elements") or []:
                yield from _element_text(element)
        elif kind == "input":
            yield _text_of(block.get("label"))
            yield from _element_text(block.get("element"))
        elif kind == "markdown":
            yield str(block.get("text", ""))
        elif kind == "rich_text":
            yield "\n".join(_rich_text(block.get("elements")))
        elif kind == "image" and block.get("title"):
            yield _text_of(block.get("title"))


def visible_text(item: Mapping[str, Any] | Sequence[Any] | None) -> str:
    """Render what a person sees of a message, a view or a list of blocks, as plain lines.

    A message with blocks shows its blocks (its `text` is only the notification fallback); a
    message without blocks shows its `text`. Attachments add their pretext, title, text, fields
    and blocks. Button labels and select placeholders count as visible.
    """
    if item is None:
        return ""
    if not isinstance(item, Mapping):
        return "\n".join(line for line in _block_lines(list(item)) if line)
    lines: list[str] = []
    if item.get("type") in ("modal", "home"):
        lines.append(_text_of(item.get("title")))
        lines.extend(_block_lines(item.get("blocks")))
        lines.append(_text_of(item.get("submit")))
    elif item.get("blocks"):
        lines.extend(_block_lines(item.get("blocks")))
    else:
        lines.append(str(item.get("text") or ""))
    for attachment in item.get("attachments") or []:
        if not isinstance(attachment, Mapping):
            continue
        for key in ("pretext", "title", "text"):
            if attachment.get(key):
                lines.append(str(attachment[key]))
        for field in attachment.get("fields") or []:
            if isinstance(field, Mapping):
                lines.append(f"{field.get('title', '')}: {field.get('value', '')}")
        lines.extend(_block_lines(attachment.get("blocks")))
    return "\n".join(line for line in lines if line)
