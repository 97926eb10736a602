"""Serves Keystone's public WSGI application over https, for tests.

keystone-wsgi-public serves plain http only. This runs the same application
(keystone.server.wsgi.initialize_public_application, configured by
OS_KEYSTONE_CONFIG_FILES as for keystone-wsgi-public) under Python's reference
wsgiref server, its listening socket wrapped by an ssl.SSLContext holding the
key and certificate chain of a PKCS#12 key store.

usage: keystone-https.py HOST PORT KEY_STORE PASSWORD_FILE
"""
import os
import ssl
import sys
import wsgiref.simple_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from keystone.server.wsgi import initialize_public_application

host, port, store, password_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(password_file, "rb") as f:
    password = f.read().splitlines()[0]
with open(store, "rb") as f:
    key, certificate, chain = pkcs12.load_key_and_certificates(f.read(), password)

# ssl loads a key and its chain from PEM files only: one owner-only file beside this script.
pem = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keystone-https.pem")
fd = os.open(pem, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "wb") as out:
    out.write(key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()))
    for c in [certificate] + list(chain or []):
        out.write(c.public_bytes(serialization.Encoding.PEM))
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(pem)

# wsgiref answers one request per connection and closes it without saying so: say it, so an HTTP
# client does not send its next request on a connection the server has closed.
_cleanup = wsgiref.simple_server.ServerHandler.cleanup_headers


def cleanup_headers(self):
    _cleanup(self)
    self.headers['Connection'] = 'close'


wsgiref.simple_server.ServerHandler.cleanup_headers = cleanup_headers

# Keystone reads its options from sys.argv too: none, as keystone-wsgi-public passes none.
sys.argv[1:] = []
server = wsgiref.simple_server.make_server(host, port, initialize_public_application())
# Every accepted connection does its handshake first; one that fails it (a client that does not
# trust this certificate) is dropped by the server loop before any request is read.
server.socket = context.wrap_socket(server.socket, server_side=True)
print("keystone over https on %s:%d" % (host, port), flush=True)
server.serve_forever()
