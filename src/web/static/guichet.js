// The counter page (/guichet), improved when JavaScript runs. The page works without it: this
// only adds live messages under the "Contremarque" field, upper-cases what is typed, stops a
// malformed code before it is sent, and offers "Scanner un QR code" where the browser has a
// camera and the BarcodeDetector API. The server checks everything again.

const LENGTH = 6;
const MSG_EMPTY = 'Saisissez une contremarque';
const MSG_LENGTH = 'La contremarque doit contenir 6 caractères';
const MSG_CHARS = 'Caractères valides : de A à Z et de 0 à 9';
const MSG_CAMERA = 'La caméra n\'est pas accessible : saisissez la contremarque.';
const MSG_NOT_A_TICKET = 'Ce QR code n\'est pas celui d\'une réservation pass Culture.';

const form = document.getElementById('guichet-form');
const input = document.getElementById('contremarque');
const group = document.getElementById('contremarque-group');
const messages = document.getElementById('contremarque-messages');

// The code of what was typed or scanned: the part after the last ':' of a QR payload
// ("PASSCULTURE:v3;TOKEN:ABC234"), as the server reads it.
function codeOf(value) {
  const at = value.lastIndexOf(':');
  return (at >= 0 ? value.slice(at + 1) : value).trim().toUpperCase();
}

// {kind, text} for the current value: kind is 'info', 'error' or '' (well-formed).
function check(value) {
  const code = codeOf(value);
  if (value.trim() === '') return { kind: 'info', text: MSG_EMPTY };
  if (!/^[A-Z0-9]*$/.test(code)) return { kind: 'error', text: MSG_CHARS };
  if (code.length < LENGTH) return { kind: 'info', text: `Caractères restants : ${LENGTH - code.length}/${LENGTH}` };
  if (code.length > LENGTH) return { kind: 'error', text: MSG_LENGTH };
  return { kind: '', text: '' };
}

function show(kind, text) {
  messages.replaceChildren();
  group.classList.toggle('fr-input-group--error', kind === 'error');
  input.classList.toggle('fr-input--error', kind === 'error');
  if (kind === 'error') input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  if (!text) return;
  const p = document.createElement('p');
  p.className = `fr-message fr-message--${kind}`;
  p.textContent = text;
  messages.append(p);
}

function refresh() {
  const { kind, text } = check(input.value);
  show(kind, text);
  return kind !== 'error' && input.value.trim() !== '' && codeOf(input.value).length === LENGTH;
}

if (form && input && group && messages) {
  input.addEventListener('input', () => {
    const upper = input.value.toUpperCase();
    if (upper !== input.value) {
      const { selectionStart, selectionEnd } = input;
      input.value = upper;
      input.setSelectionRange(selectionStart, selectionEnd);
    }
    refresh();
  });

  form.addEventListener('submit', (event) => {
    if (!refresh()) {
      event.preventDefault();
      const { kind, text } = check(input.value);
      show('error', kind === 'error' ? text : MSG_LENGTH);
      input.focus();
    }
  });

  // Nothing typed yet: the default message, and the field ready for the next code.
  if (input.value === '' && messages.children.length === 0) {
    show('info', MSG_EMPTY);
    if (!document.getElementById('reservation')) input.focus();
  }

  setUpScanner();
}

// "Scanner un QR code": only where the browser can both film and read QR codes.
async function setUpScanner() {
  const button = document.getElementById('scanner');
  const zone = document.getElementById('scanner-zone');
  const video = document.getElementById('scanner-video');
  const stop = document.getElementById('scanner-stop');
  if (!button || !zone || !video || !stop) return;
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) return;
  let formats = [];
  try {
    formats = await window.BarcodeDetector.getSupportedFormats();
  } catch {
    return;
  }
  if (!formats.includes('qr_code')) return;
  const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
  let stream = null;
  let timer = 0;

  function end() {
    clearTimeout(timer);
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    video.srcObject = null;
    zone.hidden = true;
    button.hidden = false;
  }

  async function scan() {
    if (!stream) return;
    try {
      const codes = video.readyState >= 2 ? await detector.detect(video) : [];
      const found = codes.find((c) => c.rawValue);
      if (found) {
        end();
        input.value = found.rawValue.trim().toUpperCase();
        if (refresh()) {
          form.requestSubmit();
        } else {
          show('error', MSG_NOT_A_TICKET);
          input.focus();
        }
        return;
      }
    } catch {
      // A frame that could not be read: try the next one.
    }
    timer = setTimeout(scan, 200);
  }

  button.addEventListener('click', async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      show('error', MSG_CAMERA);
      return;
    }
    button.hidden = true;
    zone.hidden = false;
    video.srcObject = stream;
    try {
      await video.play();
    } catch {
      end();
      show('error', MSG_CAMERA);
      return;
    }
    scan();
  });
  stop.addEventListener('click', () => {
    end();
    input.focus();
  });
  button.hidden = false;
}
