"""Contains all the data models used in inputs/outputs"""

from .batch_form import BatchForm
from .box import Box
from .caption_batch_features_item import CaptionBatchFeaturesItem
from .caption_batch_response import CaptionBatchResponse
from .caption_features_item import CaptionFeaturesItem
from .caption_files_body import CaptionFilesBody
from .caption_response import CaptionResponse
from .caption_response_kind import CaptionResponseKind
from .caption_response_people import CaptionResponsePeople
from .detected_object import DetectedObject
from .detected_object_box import DetectedObjectBox
from .health import Health
from .health_status import HealthStatus
from .hedged_label import HedgedLabel
from .image_url import ImageUrl
from .model_ref import ModelRef
from .model_status import ModelStatus
from .moderate_batch_thresholds import ModerateBatchThresholds
from .moderate_files_body import ModerateFilesBody
from .moderate_thresholds import ModerateThresholds
from .moderation_batch_response import ModerationBatchResponse
from .moderation_category import ModerationCategory
from .moderation_response import ModerationResponse
from .moderation_response_policy import ModerationResponsePolicy
from .problem import Problem
from .problem_code import ProblemCode
from .readiness import Readiness
from .readiness_status import ReadinessStatus
from .scored_label import ScoredLabel
from .text_result import TextResult
from .text_result_lines_item import TextResultLinesItem

__all__ = (
    "BatchForm",
    "Box",
    "CaptionBatchFeaturesItem",
    "CaptionBatchResponse",
    "CaptionFeaturesItem",
    "CaptionFilesBody",
    "CaptionResponse",
    "CaptionResponseKind",
    "CaptionResponsePeople",
    "DetectedObject",
    "DetectedObjectBox",
    "Health",
    "HealthStatus",
    "HedgedLabel",
    "ImageUrl",
    "ModelRef",
    "ModelStatus",
    "ModerateBatchThresholds",
    "ModerateFilesBody",
    "ModerateThresholds",
    "ModerationBatchResponse",
    "ModerationCategory",
    "ModerationResponse",
    "ModerationResponsePolicy",
    "Problem",
    "ProblemCode",
    "Readiness",
    "ReadinessStatus",
    "ScoredLabel",
    "TextResult",
    "TextResultLinesItem",
)
