#!/usr/bin/env bash
# The held-out gate for a verifier candidate (issue 24), every measure through the runtime:
#   bash bench/verifier_gate.sh MODEL_DIR TAG
# PAIRS=FILE: another held-out passage-pairs file (default train/work/passages/heldout.jsonl).
# MODEL_DIR: a folder with model.onnx, tokenizer.json, meta.json (train/export_verifier.py --out).
# Writes bench/results/{passage-pairs,eval,frank,verdicts}-<date>-TAG.json; the shipped verifier's
# numbers are the same commands without --model (tag v1). Needs ../shared/data and
#   python bench/convert_eval.py                      (public dev sets -> bench/work/eval)
#   python bench/verdict_set.py build --no-decisions  (labelled verdicts' archive -> bench/work/verdicts)
#   python train/build_passages.py                    (held-out passage pairs)
set -euo pipefail
model=$(realpath "$1"); tag=$2
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-$here/../.venv/bin/python}
cd "$here"
"$py" passage_pairs_eval.py --model "$model" --tag "$tag" ${PAIRS:+--pairs "$PAIRS"}
"$py" eval_all.py --model "$model" --tag "$tag"
"$py" frank_eval.py --model "$model" --tag "$tag"
CORROBORATOR_VERIFIER_MODEL=$model "$py" verdict_set.py score --tag "$tag"
