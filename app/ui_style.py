"""The chat's theme and stylesheet (passed to Gradio's launch); theme variables keep dark mode readable."""

import gradio as gr

# Material "thumb_up", drawn with currentColor through a CSS mask (no emoji font needed).
_THUMB = ("url(\"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' "
          "viewBox='0 0 24 24'><path d='M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57"
          ".03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 "
          "2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z'/></svg>\")")


def theme() -> gr.themes.Base:
    # Served from Gradio's own static files. Its SemiBold files are subsets (a few glyphs), so
    # declare only the complete Regular and Bold: weight 600 then resolves to Bold.
    font = [gr.themes.LocalFont("IBM Plex Sans", weights=(400, 700)), "ui-sans-serif",
            "system-ui", "sans-serif"]
    return gr.themes.Default(primary_hue="teal", neutral_hue="slate", font=font)


CSS = """
.gradio-container { max-width: 1280px !important; }
#kb-header h1 { font-size: 1.45rem; margin: 0 0 .2rem 0; }
#kb-header p { margin: .15rem 0; color: var(--body-text-color-subdued); }
.kb-disclaimer { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center;
  margin-top: .5rem; padding: .45rem .8rem; border-radius: 8px; font-size: .92rem;
  background: rgba(234, 179, 8, .14); border: 1px solid rgba(202, 138, 4, .45); }
.kb-disclaimer b { color: var(--body-text-color); }
/* Newest turn first in the DOM, shown last: a column-reverse box starts scrolled to the bottom. */
.kb-chat { display: flex; flex-direction: column-reverse; gap: .9rem; max-height: 58vh;
  overflow-y: auto; padding: .3rem .2rem; }
.kb-turn { display: flex; flex-direction: column; gap: .5rem; }
.kb-chat-empty { color: var(--body-text-color-subdued); padding: 1rem; border-radius: 8px;
  border: 1px dashed var(--border-color-primary); }
.kb-who { display: block; font-size: .75rem; font-weight: 600; letter-spacing: .04em;
  text-transform: uppercase; color: var(--body-text-color-subdued); margin-bottom: .2rem; }
.kb-q, .kb-a { padding: .6rem .85rem; border-radius: 10px; line-height: 1.55; }
.kb-q p, .kb-a p { margin: .2rem 0; white-space: pre-wrap; }
.kb-q { background: var(--background-fill-secondary); margin-left: 12%; }
.kb-a-answer { border: 1px solid var(--border-color-primary); margin-right: 4%; }
.kb-marker { font-size: .8em; font-weight: 700; text-decoration: none; padding: 0 .15em;
  border-radius: 4px; vertical-align: super; color: var(--color-accent);
  background: rgba(20, 184, 166, .14); }
.kb-marker:hover, .kb-marker:focus { background: rgba(20, 184, 166, .35); }
.kb-note, .kb-filters { font-size: .85rem; color: var(--body-text-color-subdued); }
.kb-notice { border-left: 5px solid; margin-right: 4%; }
.kb-notice strong { display: block; margin-bottom: .25rem; }
.kb-notice-abstain { background: rgba(100, 116, 139, .12); border-color: #64748b; }
.kb-notice-dosing { background: rgba(234, 88, 12, .10); border-color: #ea580c; }
.kb-notice-crisis { background: rgba(220, 38, 38, .10); border-color: #dc2626; }
.kb-crisis-resources { border-radius: 8px; padding: .5rem .8rem; margin: .5rem 0; }
.kb-crisis-resources ul { margin: .2rem 0 0 1.1rem; }
.kb-sources { max-height: 78vh; overflow-y: auto; padding-right: .3rem; }
.kb-sources h3, .kb-about h3 { margin: 0 0 .5rem 0; font-size: 1.1rem; }
.kb-sources-empty p { color: var(--body-text-color-subdued); }
.kb-group-q { font-size: .85rem; color: var(--body-text-color-subdued); margin: .6rem 0 .3rem; }
.kb-cites { list-style: none; padding: 0; margin: 0; }
.kb-cite { border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: .6rem .75rem; margin-bottom: .6rem; scroll-margin-top: .5rem;
  transition: box-shadow .2s, background .2s; }
.kb-cite:has(.kb-anchor:target) { box-shadow: 0 0 0 3px var(--color-accent);
  background: rgba(20, 184, 166, .07); }
.kb-anchor { scroll-margin-top: 3rem; }
.kb-qnum { font-size: .75em; font-weight: 700; vertical-align: super; color: var(--color-accent);
  margin: 0 .15em 0 .05em; }
.kb-origin-user { background: rgba(234, 88, 12, .12); border-color: rgba(234, 88, 12, .5); }
.kb-origin-curated { background: rgba(20, 184, 166, .12); border-color: rgba(20, 184, 166, .45); }
.kb-actions { display: flex; align-items: center; gap: .6rem; margin-top: .35rem; }
.kb-copy { font-size: .8rem; padding: .15rem .6rem; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-primary);
  color: var(--body-text-color); }
.kb-copy:hover, .kb-copy:focus { border-color: var(--color-accent); }
.kb-copied { font-size: .8rem; color: var(--body-text-color-subdued); }
.kb-current-to { font-weight: 600; }
.kb-cite-head { font-weight: 600; line-height: 1.35; }
.kb-num, .kb-ref-num { color: var(--color-accent); }
.kb-ref-num { font-weight: 700; }
.kb-section { font-weight: 400; color: var(--body-text-color-subdued); }
.kb-labels { margin: .3rem 0; display: flex; flex-wrap: wrap; gap: .3rem; }
.kb-label { font-size: .72rem; padding: .05rem .45rem; border-radius: 999px;
  background: var(--background-fill-secondary); border: 1px solid var(--border-color-primary); }
.kb-passage { margin: .35rem 0; padding: .4rem .6rem; font-size: .9rem; line-height: 1.5;
  white-space: pre-wrap; border-left: 3px solid var(--border-color-primary);
  color: var(--body-text-color); background: var(--background-fill-secondary); border-radius: 4px; }
.kb-passage mark { background: rgba(250, 204, 21, .55); color: inherit; padding: 0 .1em;
  border-radius: 3px; }
.kb-ref { display: block; font-size: .8rem; color: var(--body-text-color-subdued);
  margin: .35rem 0 0;
  overflow-wrap: anywhere; }
.kb-about table { border-collapse: collapse; margin: .3rem 0 1rem; }
.kb-about td, .kb-about th { padding: .2rem .8rem; border-bottom: 1px solid var(--border-color-primary);
  text-align: left; }
.kb-docs { padding-left: 1.2rem; }
.kb-doc { margin-bottom: .7rem; }
.kb-origin { font-size: .8rem; color: var(--body-text-color-subdued); }
.kb-refs { font-size: .82rem; margin: .2rem 0 0 1rem; }
.kb-privacy { font-size: .82rem; color: var(--body-text-color-subdued); margin: 0; }
#kb-examples button { font-size: .85rem; }
.kb-caption { font-size: .85rem; color: var(--body-text-color-subdued); margin: .2rem 0 0; }
#kb-feedback-row { align-items: center; gap: .5rem; }
#kb-up::before, #kb-down::before { content: ""; display: inline-block; width: 1.05em;
  height: 1.05em; margin-right: .4em; vertical-align: -.15em; background-color: currentColor;
  -webkit-mask: THUMB no-repeat center / contain; mask: THUMB no-repeat center / contain; }
#kb-down::before { transform: rotate(180deg); }
""".replace("THUMB", _THUMB)
