// codetabs-serve only (never in a built book): when a rebuild fails, show
// its problems over the last good page; remove them after the next good
// build. Everything shown is set as text, never parsed as HTML.
(() => {
  'use strict';
  const ID = 'codetabs-serve-problems';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/__codetabs/problems`;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function place(label, value) {
    const line = el('p', 'codetabs-serve-place');
    line.append(el('span', null, `${label} `), el('code', null, value));
    return line;
  }

  function show(state) {
    document.getElementById(ID)?.remove();
    if (state.ok) return;
    const problems = state.problems || [];
    const box = el('section', null);
    box.id = ID;
    box.setAttribute('role', 'alert');
    box.setAttribute('aria-labelledby', `${ID}-title`);
    const title = el('h2', null, `The book does not build: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    title.id = `${ID}-title`;
    const close = el('button', null, 'Hide');
    close.type = 'button';
    close.addEventListener('click', () => box.remove());
    const note = el('p', 'codetabs-serve-note', 'This page is the last good build. Fix the problems and save: the page reloads by itself.');
    const list = el('ol', null);
    for (const problem of problems) {
      const item = el('li', null);
      item.append(el('p', 'codetabs-serve-message', problem.message));
      if (problem.chapter) item.append(place('chapter', problem.chapter));
      if (problem.source) item.append(place('source', problem.source));
      if (problem.help) item.append(el('p', 'codetabs-serve-help', `help: ${problem.help}`));
      list.append(item);
    }
    box.append(close, title, note, list);
    document.body.prepend(box);
  }

  const style = el('style', null, `
#${ID} { position: fixed; z-index: 1000; top: 1em; left: 50%; transform: translateX(-50%);
  width: min(46em, calc(100vw - 2em)); max-height: calc(100vh - 2em); overflow: auto; box-sizing: border-box;
  padding: 1em 1.25em; background: var(--bg); color: var(--fg); border: 2px solid #d0453a;
  border-left-width: 8px; border-radius: 6px; box-shadow: 0 6px 24px rgba(0, 0, 0, 0.35); font-size: 0.95em; }
#${ID} h2 { margin: 0 0 0.25em; font-size: 1.15em; }
#${ID} ol { margin: 0.5em 0 0; padding-left: 1.5em; }
#${ID} li { margin-bottom: 0.75em; }
#${ID} p { margin: 0.15em 0; }
#${ID} code { user-select: all; background: var(--quote-bg); color: var(--fg); padding: 0 0.25em; }
#${ID} .codetabs-serve-message { font-weight: bold; white-space: pre-wrap; }
#${ID} .codetabs-serve-note, #${ID} .codetabs-serve-help { opacity: 0.85; }
#${ID} button { float: right; font: inherit; color: var(--fg); background: var(--quote-bg);
  border: 1px solid var(--fg); border-radius: 4px; padding: 0.1em 0.6em; cursor: pointer; }`);
  document.head.append(style);

  // The server may restart while the page is open: keep trying, calmly.
  let delay = 500;
  function connect() {
    const socket = new WebSocket(url);
    socket.onmessage = (event) => {
      delay = 500;
      try {
        show(JSON.parse(event.data));
      } catch {
        // Not ours to break the page over.
      }
    };
    socket.onclose = () => {
      delay = Math.min(delay * 2, 10000);
      setTimeout(connect, delay);
    };
  }
  connect();
})();
