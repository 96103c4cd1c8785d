"""Static replay server for GPU measurements (no Node on the GPU machine): serves the built viewer from
ROOT, with a city's recorded API answers and tiles looked up first in OVERLAY; `<file>.gz` is served
with Content-Encoding gzip; /api/... maps to `<path>.json`; unrecorded /api paths answer 401 (anonymous);
`/events` streams answer one version event and heartbeats; POST bodies are appended to $OUT/<name>.json."""
import http.server, os, sys, json, socketserver, mimetypes, time, gzip
ROOT, OVERLAY, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3]); OUT = os.environ.get('OUT', '/tmp')
TYPES = {'.js': 'application/javascript', '.mjs': 'application/javascript', '.wasm': 'application/wasm', '.glb': 'model/gltf-binary', '.json': 'application/json', '.html': 'text/html', '.css': 'text/css', '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.ktx2': 'image/ktx2'}
def find(rel):
    for base in (OVERLAY, ROOT):
        f = os.path.join(base, rel)
        if os.path.isfile(f): return f, False
        if os.path.isfile(f + '.gz'): return f + '.gz', True
    return None, False
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a): pass
    def send(self, code, body, ctype, gz=False):
        self.send_response(code); self.send_header('content-type', ctype); self.send_header('content-length', str(len(body)))
        if gz: self.send_header('content-encoding', 'gzip')
        self.end_headers(); self.wfile.write(body)
    def do_GET(self):
        p = self.path.split('?', 1)[0]
        if p.startswith('/api/') and p.endswith('/events'):
            f, gz = find(p.lstrip('/').rsplit('/', 1)[0] + '.json')
            self.send_response(200); self.send_header('content-type', 'text/event-stream'); self.send_header('cache-control', 'no-cache'); self.end_headers()
            try:
                if f:
                    d = json.load(gzip.open(f) if gz else open(f))
                    ev = {'scenarioId': d.get('id'), 'cityId': d.get('cityId'), 'name': d.get('name'), 'version': d.get('version'), 'createdAt': d.get('createdAt'), 'createdBy': d.get('createdBy'), 'message': d.get('message'), 'deviceCount': len(d.get('devices', [])), 'changedDeviceIds': [], 'changedDeviceCount': 0}
                    self.wfile.write(('retry: 1000\nid: %s\nevent: version\ndata: %s\n\n' % (d.get('version'), json.dumps(ev))).encode()); self.wfile.flush()
                while True: time.sleep(10); self.wfile.write(b': hb\n\n'); self.wfile.flush()
            except Exception: return
        if p.startswith('/api/'):
            f, gz = find(p.lstrip('/') + '.json')
            if not f:
                return self.send(401, json.dumps({'error': 'Unauthorized', 'message': 'replay: not recorded', 'statusCode': 401}).encode(), 'application/json')
            return self.send(200, open(f, 'rb').read(), 'application/json', gz)
        rel = p.lstrip('/') or 'index.html'
        if rel.endswith('/'): rel += 'index.html'
        f, gz = find(rel)
        if not f: return self.send(404, b'not found', 'text/plain')
        ext = os.path.splitext(rel)[1]
        return self.send(200, open(f, 'rb').read(), TYPES.get(ext, mimetypes.guess_type(rel)[0] or 'application/octet-stream'), gz)
    def do_POST(self):
        n = int(self.headers.get('content-length', 0)); body = self.rfile.read(n)
        name = self.path.strip('/').replace('/', '_') or 'result'
        with open(os.path.join(OUT, name + '.json'), 'ab') as fh: fh.write(body + b'\n')
        print('POST', self.path, body[:3000].decode('utf8', 'replace'), flush=True)
        self.send_response(204); self.send_header('content-length', '0'); self.end_headers()
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
S(('127.0.0.1', PORT), H).serve_forever()
