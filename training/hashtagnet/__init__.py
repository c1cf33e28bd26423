"""hashtagnet: weakly supervised pretraining on hashtags, fine-tuning and export of model bundles."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = REPO_ROOT / "models"
MANIFEST_SCHEMA = MODELS_DIR / "manifest.schema.json"
