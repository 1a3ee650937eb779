"""The chat's browser-side scripts: copy an answer with its references, download the conversation."""

# js_on_load of the conversation (runs once; `element` is the component): one delegated listener
# serves every "Copy with references" button, including those of answers rendered later.
# navigator.clipboard needs a secure context (https or loopback); elsewhere fall back to a
# hidden textarea and execCommand("copy").
COPY_ON_CLICK = """
element.addEventListener('click', async (event) => {
  const button = event.target.closest('button.kb-copy');
  if (!button) return;
  const text = button.dataset.copy || '';
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch (err) {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
    area.remove();
  }
  const status = button.parentElement.querySelector('.kb-copied');
  if (status) {
    status.textContent = copied ? 'Copied the answer and its references.'
                                : 'Could not copy: select the answer and copy it by hand.';
  }
});
"""

# The download button's js: the Markdown rides in the conversation's data-markdown attribute,
# so the file is made in the browser and the conversation is never written to the server's disk.
DOWNLOAD_CONVERSATION = """
() => {
  const chat = document.querySelector('#kb-conversation .kb-chat');
  const markdown = chat ? chat.dataset.markdown : '';
  if (!markdown) return;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([markdown], {type: 'text/markdown;charset=utf-8'}));
  link.download = 'conversation-' + new Date().toISOString().slice(0, 10) + '.md';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}
"""
