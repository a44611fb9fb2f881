"""Generate the Python protobuf modules under app/pb from the project's own proto/ sources.

protoc writes absolute imports named after the proto folders (``from cosmos.base.v1beta1 import
coin_pb2``); they are rewritten to live under the ``app.pb`` package so that nothing is added to
``sys.path`` and no top-level ``cosmos``/``tendermint`` package is claimed.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO = ROOT / "proto"
OUT = ROOT / "app" / "pb"
IMPORT_RE = re.compile(
    r"^from (alliance|cosmos_proto|cosmos|tendermint|ics23)((?:\.\w+)*) import ", re.M
)


def main() -> int:
    sources = sorted(str(p.relative_to(PROTO)) for p in PROTO.rglob("*.proto"))
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    include = str(Path(protoc.__file__).parent / "_proto")
    args = ["protoc", f"-I{PROTO}", f"-I{include}", f"--python_out={OUT}", f"--pyi_out={OUT}"]
    if protoc.main([*args, *sources]) != 0:
        print("gen_proto: protoc failed", file=sys.stderr)
        return 1
    for path in OUT.rglob("*.py*"):
        text = path.read_text()
        fixed = IMPORT_RE.sub(lambda m: f"from app.pb.{m.group(1)}{m.group(2)} import ", text)
        if fixed != text:
            path.write_text(fixed)
    for folder in [OUT, *[p for p in OUT.rglob("*") if p.is_dir()]]:
        (folder / "__init__.py").touch()
    (OUT / ".generated").touch()
    return 0


if __name__ == "__main__":
    sys.exit(main())
