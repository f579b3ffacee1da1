"""Build N realistic reply drafts of 30-200 words, deterministically (seeded).

Sentences come from the evaluation corpus and the rule examples, so drafts carry the
greetings, refusals, apologies, instructions and placeholders real replies have; each draft is
a greeting line, a body of sentences drawn at random, and a sign-off.

    python benchmarks/make_corpus.py N OUT_DIR   # writes OUT_DIR/0000001.txt …
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z{\[])")
GREETINGS = [
    "Hi {name},",
    "Hello {name},",
    "Dear {name},",
    "Hey {name}!",
    "{{{{ticket.requester.first_name}}}},",
    "",
]
SIGNOFFS = [
    "Best,\nSam",
    "Kind regards,\nThe Support Team",
    "Thanks,\n{{current_user.name}}",
    "Cheers,\nAva",
    "",
]
NAMES = ["Dana", "Marco", "Priya", "Tom", "Jo", "Ellie", "Ahmed", "Grace", "Leo", "Nora"]


def sentences() -> list[str]:
    """Body sentences from the evaluation corpus and the rule examples."""
    texts: list[str] = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*.yaml")):
        texts += [case["text"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "examples" not in data:
            continue
        if data.get("kind") == "suppression":  # files of replylint comments, not reply text
            continue
        for kind in ("fail", "pass"):
            for ex in data["examples"][kind]:
                texts.append(ex if isinstance(ex, str) else ex["text"])
    out: list[str] = []
    for text in texts:
        for para in text.split("\n\n"):
            line = " ".join(para.split())
            if len(line.split()) < 4 or line.endswith(","):
                continue
            out += [s for s in _SPLIT.split(line) if len(s.split()) >= 3]
    return sorted(set(out))


def drafts(n: int, seed: int = 20261123) -> Iterator[str]:
    rng = random.Random(seed)
    pool = sentences()
    for _ in range(n):
        target = rng.randint(30, 200)
        body: list[str] = []
        words = 0
        while words < target:
            s = rng.choice(pool)
            body.append(s)
            words += len(s.split())
        paragraphs = []
        while body:
            k = rng.randint(1, 4)
            paragraphs.append(" ".join(body[:k]))
            body = body[k:]
        greeting = rng.choice(GREETINGS).format(name=rng.choice(NAMES))
        parts = [greeting, *paragraphs, rng.choice(SIGNOFFS)]
        yield "\n\n".join(p for p in parts if p) + "\n"


def main() -> None:
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(drafts(n), 1):
        (out / f"{i:07d}.txt").write_text(text, encoding="utf-8")
    print(f"wrote {n} drafts to {out}")


if __name__ == "__main__":
    main()
