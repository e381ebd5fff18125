// The API guard of deploy/nginx.conf (nginx's njs module, Debian's libnginx-mod-http-js 0.7.9):
// the content handler of /api/v1/rest.php. render-nginx.sh copies this file next to the
// rendered configuration, which loads it with js_import.
//
// Why: whoever reaches the portal uses the account's allow-listed IP. Without this guard the
// proxy would forward any API method, writes included (sendSMS, orderDID, setDIDRouting, ...),
// to anyone holding (or guessing) the API password. The guard lets through only the read
// methods the app itself calls; everything else is answered here and never reaches VoIP.ms.
//
// How: nginx has already read the whole body into memory (client_body_buffer_size equals
// client_max_body_size) before this handler runs. It is parsed here, and when it passes, the
// request goes on to the named location @cdrportal_api_upstream, which proxies it with the
// body nginx read, byte for byte; nothing here rewrites it.
//
// The parse is deliberately stricter than any multipart parser downstream (PHP's above all),
// so that VoIP.ms can never see a method that this guard did not see: anything ambiguous is
// refused rather than interpreted. Browsers (FormData) and curl -F produce exactly the shape
// accepted here. Nothing of the body is logged or echoed back: it holds the API password.

// The methods the app calls: cdr-core's `Method::ALL`, which a test of that crate
// (tests/proxy_guard.rs) keeps equal to this list. Exact, case-sensitive names: only these
// reach the upstream.
var ALLOWED_METHODS = [
  'getCDR', 'getResellerCDR', 'getCallTypes', 'getCallBilling', 'getCallAccounts',
  'getClients', 'getClientPackages', 'getPackages', 'getRates', 'getTerminationRates',
  'getRoutes',
];

// The app sends at most about 15 fields; a bound keeps the work per request small.
var MAX_PARTS = 64;

// The boundary's characters (RFC 2046's bcharsnospace without ","): PHP ends an unquoted
// boundary at "," or ";", so a boundary holding them would mean different things to PHP and to
// this guard.
var BOUNDARY_RE = /^multipart\/form-data; ?boundary=("?)([A-Za-z0-9'()+_\-./:=?]{1,70})\1$/i;
// Field names as the app sends them. PHP rewrites names (" method" and "method." become
// "method" or "method_", "method[]" an array, and so on): a name outside this set could be
// read as something this guard did not see, so it is refused.
var NAME_RE = /^[A-Za-z0-9_]{1,64}$/;
var DISPOSITION_RE = /^form-data; name="([^"]*)"$/;
var HEADER_RE = /^([A-Za-z-]+): *(.*)$/;

function answer(r, code, status, message) {
  r.headersOut['Content-Type'] = 'application/json';
  r.headersOut['Cache-Control'] = 'no-store';
  r.return(code, JSON.stringify({ status: status, message: message }));
}

function notAllowed(r) {
  answer(r, 403, 'method_not_allowed_here',
    "This portal's proxy only forwards the read methods the portal uses.");
}

function malformed(r) {
  answer(r, 400, 'malformed_form',
    "This portal's proxy only forwards plain multipart/form-data forms, as the portal sends them.");
}

// How many times a request header came, by its case-insensitive name.
function headerCount(r, name) {
  var raw = r.rawHeadersIn;
  var n = 0;
  for (var i = 0; i < raw.length; i++) {
    if (raw[i][0].toLowerCase() === name) n++;
  }
  return n;
}

// The ASCII text of bytes [from, to) of buf when every byte is printable (0x20..0x7e), else
// null. Header lines are checked with it, so that no CR, LF, tab or 8-bit byte can make a line
// end, or fold, where this guard does not see one.
function printable(buf, from, to) {
  var s = '';
  for (var i = from; i < to; i++) {
    var c = buf[i];
    if (c < 0x20 || c > 0x7e) return null;
    s += String.fromCharCode(c);
  }
  return s;
}

function bytesAre(buf, at, text) {
  if (at < 0 || at + text.length > buf.length) return false;
  for (var i = 0; i < text.length; i++) {
    if (buf[at + i] !== text.charCodeAt(i)) return false;
  }
  return true;
}

// The parts of a multipart body, as [{name, from, to}] (the value is bytes [from, to) of buf),
// or null when the body is anything but the plain shape:
//   --B CRLF headers CRLF CRLF value CRLF --B ... CRLF --B-- [CRLF]
// Every occurrence of "--B" in the whole body must be one of these delimiters. PHP splits on
// "\n--B" wherever it occurs (followed by anything), so a stray one inside a value, after a
// bare LF or followed by other characters, would start a part that only PHP sees.
function parseParts(buf, boundary) {
  var delim = '--' + boundary;
  var at = [];
  var pos = buf.indexOf(delim);
  while (pos !== -1) {
    at.push(pos);
    if (at.length > MAX_PARTS + 1) return null;
    pos = buf.indexOf(delim, pos + 1);
  }
  if (at.length < 2 || at[0] !== 0) return null;

  var parts = [];
  for (var k = 0; k < at.length; k++) {
    var p = at[k];
    var after = p + delim.length;
    if (k > 0 && !bytesAre(buf, p - 2, '\r\n')) return null;
    if (k === at.length - 1) {
      // The close delimiter, then nothing or one CRLF: no epilogue for anyone to read into.
      if (!bytesAre(buf, after, '--')) return null;
      var rest = buf.length - (after + 2);
      if (!(rest === 0 || (rest === 2 && bytesAre(buf, after + 2, '\r\n')))) return null;
      break;
    }
    if (!bytesAre(buf, after, '\r\n')) return null;
    var part = parsePart(buf, after + 2, at[k + 1] - 2);
    if (part === null) return null;
    parts.push(part);
  }
  return parts;
}

// One part, bytes [from, to): header lines, an empty line, the value.
function parsePart(buf, from, to) {
  var name = null;
  var contentTypes = 0;
  var line = from;
  for (;;) {
    var eol = buf.indexOf('\r\n', line);
    if (eol === -1 || eol + 2 > to) return null;
    if (eol === line) break; // the empty line: the value follows
    var text = printable(buf, line, eol);
    if (text === null) return null;
    var m = HEADER_RE.exec(text);
    if (m === null) return null; // also a folded line, which starts with a space
    var header = m[1].toLowerCase();
    if (header === 'content-disposition') {
      var d = DISPOSITION_RE.exec(m[2]);
      // Exactly one, with a name and nothing else: no filename (no file is ever sent), no
      // second parameter for a parser to prefer.
      if (name !== null || d === null) return null;
      name = d[1];
    } else if (header === 'content-type') {
      if (++contentTypes > 1) return null;
    } else {
      return null;
    }
    line = eol + 2;
  }
  if (name === null) return null;
  return { name: name, from: line + 2, to: to };
}

function guard(r) {
  // nginx's rewrite phase already answered anything but a POST without a query string.
  var contentType = r.headersIn['Content-Type'] || '';
  var ct = BOUNDARY_RE.exec(contentType);
  if (ct === null || headerCount(r, 'content-type') !== 1) {
    answer(r, 415, 'multipart_only',
      "This portal's proxy only takes POST with a multipart/form-data body, as the portal sends it.");
    return;
  }
  // A coded body could be decoded upstream into something this guard did not read.
  if (headerCount(r, 'content-encoding') !== 0) {
    malformed(r);
    return;
  }

  var body;
  try {
    body = r.requestBuffer; // throws when the body went to a file (it never should here)
  } catch (e) {
    body = undefined;
  }
  if (!body || body.length === 0) {
    malformed(r);
    return;
  }

  var parts = parseParts(body, ct[2]);
  if (parts === null || parts.length === 0) {
    malformed(r);
    return;
  }

  var method = null;
  var methods = 0;
  for (var i = 0; i < parts.length; i++) {
    var name = parts[i].name;
    if (!NAME_RE.test(name)) {
      // "method[]", " method", "method." and the like: refused as the attempts they are.
      notAllowed(r);
      return;
    }
    if (name.toLowerCase() === 'method') {
      // "Method" is not what PHP reads as "method", but nothing good comes with it either.
      if (name !== 'method') {
        notAllowed(r);
        return;
      }
      methods++;
      method = printable(body, parts[i].from, parts[i].to);
    }
  }
  // PHP keeps the LAST of duplicated fields: with two method parts, which one counts would
  // depend on the parser. None, two or more, or any other name: refused.
  if (methods !== 1 || method === null || ALLOWED_METHODS.indexOf(method) === -1) {
    notAllowed(r);
    return;
  }

  r.internalRedirect('@cdrportal_api_upstream');
}

export default { guard: guard };
