"""The MLP 1024→hidden→16 served the way a Flask + PyTorch script serves a model, for bench/flask-baseline.mjs.

Loads the bench's seeded weights (raw float32, row-major), computes relu(x @ w1) @ w2 with PyTorch
on the given threads, and answers OIP-shaped JSON at /v2/models/<name>/infer on Flask's own server
(threaded, as `app.run()` starts it). Prints `listening on <url>` once it accepts requests.
"""
import json
import sys

import numpy as np
import torch
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

args = json.loads(sys.argv[1])
torch.set_num_threads(args["threads"])
hidden = args["hidden"]
w1 = torch.from_numpy(np.fromfile(args["w1"], dtype=np.float32).reshape(1024, hidden))
w2 = torch.from_numpy(np.fromfile(args["w2"], dtype=np.float32).reshape(hidden, 16))

app = Flask(__name__)


@app.post("/v2/models/<name>/infer")
def infer(name):
    tensor = request.get_json()["inputs"][0]
    x = torch.tensor(tensor["data"], dtype=torch.float32).reshape(tensor["shape"])
    with torch.no_grad():
        y = torch.relu(x @ w1) @ w2
    return jsonify(
        {
            "model_name": name,
            "outputs": [{"name": "y", "datatype": "FP32", "shape": list(y.shape), "data": y.flatten().tolist()}],
        }
    )


server = make_server("127.0.0.1", 0, app, threaded=True)
print(f"listening on http://127.0.0.1:{server.port}", flush=True)
server.serve_forever()
