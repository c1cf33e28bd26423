"""python -m hashtagnet.export: the pretrained exporter (hashtagnet.export.pretrained), kept so recorded commands run."""

from hashtagnet.export.pretrained import main

main()
