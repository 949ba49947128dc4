// The playground page: polls what the current person sees and posts what they do.
// Every piece of HTML comes from the server already escaped; this script adds text only with
// textContent.
"use strict";

const POLL_MS = 700;
const view = {
  as: "U0CAROL",
  pane: "channel:C0DESK",
  version: null,
  modalKey: null,
  channel: "",
  replyTo: null,
  gotoTs: null,
  closedThreads: new Set(),
};

const $ = (id) => document.getElementById(id);

function showNotice(text) {
  const box = $("notice");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(showNotice.timer);
  showNotice.timer = setTimeout(() => { box.hidden = true; }, 6000);
}

async function post(path, body) {
  let data = { ok: false, error: "The playground did not answer." };
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ as: view.as, ...body }),
    });
    data = await response.json();
  } catch (error) {
    data = { ok: false, error: "The playground is not answering: is it still running?" };
  }
  if (!data.ok) showNotice(data.error);
  else if (data.notice) showNotice(data.notice);
  refresh();
  return data;
}

function stickToBottom(pane, render) {
  const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 40;
  const top = pane.scrollTop;
  render();
  pane.scrollTop = atBottom ? pane.scrollHeight : top;
}

function draw(state) {
  view.channel = state.channel;
  $("people").innerHTML = state.people;
  $("sidebar").innerHTML = state.sidebar;
  $("pane-title").innerHTML = state.title;
  $("clock").innerHTML = state.clock;
  $("composer").hidden = !state.composer;
  const pane = $("pane");
  stickToBottom(pane, () => {
    pane.innerHTML = state.pane;
    pane.querySelectorAll("details.thread").forEach((thread) => {
      if (view.closedThreads.has(thread.dataset.thread)) thread.open = false;
    });
  });
  drawModal(state.modal);
  if (view.gotoTs) {
    const target = pane.querySelector(`article[data-ts="${CSS.escape(view.gotoTs)}"]`);
    view.gotoTs = null;
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.classList.add("highlight");
    }
  }
}

function drawModal(modal) {
  const root = $("modal-root");
  if (!modal) {
    root.hidden = true;
    view.modalKey = null;
    return;
  }
  const key = modal.id + "/" + modal.hash;
  if (key !== view.modalKey) {
    view.modalKey = key;
    root.dataset.viewId = modal.id;
    $("modal-title").innerHTML = modal.title;
    $("modal-body").innerHTML = modal.body;
    $("modal-close").innerHTML = modal.close;
    $("modal-submit").innerHTML = modal.submit;
    $("modal-submit").hidden = !modal.submit;
    root.hidden = false;
  }
  root.querySelectorAll("[data-error-for]").forEach((slot) => {
    slot.textContent = modal.errors[slot.dataset.errorFor] || "";
    slot.closest(".bk-input").classList.toggle("has-error", Boolean(slot.textContent));
  });
}

async function refresh() {
  const query = new URLSearchParams({ as: view.as, pane: view.pane });
  try {
    const response = await fetch("/play/state?" + query.toString());
    const state = await response.json();
    if (state.ok && state.version !== view.version) {
      view.version = state.version;
      draw(state);
    }
  } catch (error) {
    // The next poll tries again; a stopped playground shows up as a notice on the next action.
  }
}

function containerOf(element) {
  const holder = element.closest("[data-container]");
  if (!holder) return null;
  return {
    kind: holder.dataset.container,
    channel: holder.dataset.channel || "",
    ts: holder.dataset.ts || "",
    view_id: holder.dataset.viewId || "",
  };
}

function act(element, value) {
  if (element.dataset.confirm && !window.confirm(element.dataset.confirm)) return;
  if (element.dataset.url) window.open(element.dataset.url, "_blank", "noopener");
  if (element.dataset.gotoChannel) {
    view.gotoTs = element.dataset.gotoTs;
    switchPane("channel:" + element.dataset.gotoChannel);
  }
  const container = containerOf(element);
  if (!container) return;
  const block = element.closest("[data-block-id]");
  const body = { container, action_id: element.dataset.actionId };
  if (block) body.block_id = block.dataset.blockId;
  if (value !== undefined) body.value = value;
  post("/play/act", body);
}

function option(select) {
  const chosen = select.selectedOptions[0];
  if (!chosen || !chosen.value) return null;
  return { text: { type: "plain_text", text: chosen.textContent, emoji: true }, value: chosen.value };
}

function fieldState(field) {
  const type = field.dataset.field;
  if (["plain_text_input", "url_text_input", "email_text_input", "number_input"].includes(type)) {
    return { type, value: field.value === "" ? null : field.value };
  }
  if (type === "static_select") return { type, selected_option: option(field) };
  if (type === "multi_static_select") {
    return {
      type,
      selected_options: [...field.selectedOptions].map((o) => ({
        text: { type: "plain_text", text: o.textContent, emoji: true }, value: o.value,
      })),
    };
  }
  if (type === "users_select") return { type, selected_user: field.value || null };
  if (type === "multi_users_select") {
    return { type, selected_users: [...field.selectedOptions].map((o) => o.value) };
  }
  if (type === "datepicker") return { type, selected_date: field.value || null };
  if (type === "timepicker") return { type, selected_time: field.value || null };
  const picked = [...field.querySelectorAll("input:checked")].map((input) => ({
    text: { type: "plain_text", text: input.dataset.label, emoji: true }, value: input.value,
  }));
  if (type === "checkboxes") return { type, selected_options: picked };
  return { type, selected_option: picked[0] || null };
}

function modalValues() {
  const values = {};
  $("modal-body").querySelectorAll("[data-field]").forEach((field) => {
    const block = field.closest("[data-block-id]");
    if (!block) return;
    const blockId = block.dataset.blockId;
    values[blockId] = values[blockId] || {};
    values[blockId][field.dataset.actionId] = fieldState(field);
  });
  return values;
}

function setReply(ts) {
  view.replyTo = ts;
  $("replying").hidden = !ts;
  if (ts) $("message").focus();
}

function send() {
  const box = $("message");
  const text = box.value.trim();
  if (!text) return;
  box.value = "";
  const body = { channel: view.channel, text };
  if (view.replyTo && !text.startsWith("/")) body.thread_ts = view.replyTo;
  post("/play/say", body);
}

function switchPane(pane) {
  view.pane = pane;
  view.version = null;
  setReply(null);
  if (pane === "home") post("/play/home", {});
  else refresh();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-goto-channel]");
  if (link) {
    event.preventDefault();
    view.gotoTs = link.dataset.gotoTs;
    switchPane("channel:" + link.dataset.gotoChannel);
    return;
  }
  const target = event.target.closest(
    "[data-person],[data-pane],[data-act],[data-jump],[data-reply],[data-shortcut],#stop-reply," +
    "#modal-submit,#modal-close,#modal-x"
  );
  if (!target) return;
  if (target.dataset.person) {
    view.as = target.dataset.person;
    switchPane(view.pane);
  } else if (target.dataset.pane) {
    switchPane(target.dataset.pane);
  } else if (target.dataset.act === "click") {
    act(target);
  } else if (target.dataset.act === "choose") {
    const menu = target.closest("details");
    if (menu) menu.open = false;
    act(target, target.dataset.value);
  } else if (target.dataset.jump) {
    post("/play/time", { to: target.dataset.jump });
  } else if (target.dataset.shortcut) {
    const container = containerOf(target);
    if (container) post("/play/shortcut", { channel: container.channel, ts: container.ts });
  } else if (target.dataset.reply) {
    setReply(target.dataset.reply);
  } else if (target.id === "stop-reply") {
    setReply(null);
  } else if (target.id === "modal-submit") {
    post("/play/submit", { view_id: $("modal-root").dataset.viewId, values: modalValues() });
  } else {
    post("/play/close", { view_id: $("modal-root").dataset.viewId });
  }
});

document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-act='select']");
  if (select && select.value) act(select, select.value);
});

document.addEventListener("toggle", (event) => {
  const thread = event.target;
  if (!(thread instanceof HTMLDetailsElement) || !thread.dataset.thread) return;
  if (thread.open) view.closedThreads.delete(thread.dataset.thread);
  else view.closedThreads.add(thread.dataset.thread);
}, true);

document.addEventListener("DOMContentLoaded", () => {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
  $("sample").addEventListener("click", async () => {
    const response = await fetch("/sample-article.txt");
    $("message").value = await response.text();
    $("message").focus();
  });
  $("message").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  });
  refresh();
  setInterval(refresh, POLL_MS);
});
