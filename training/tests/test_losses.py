"""Softmax with 1/k targets and per-class sigmoid."""

from __future__ import annotations

import math

import torch

from hashtagnet.train.losses import sigmoid_cross_entropy, softmax_cross_entropy, target_matrix


def test_softmax_target_puts_one_over_k_on_each_label():
    logits = torch.zeros(1, 4, requires_grad=True)
    softmax_cross_entropy(logits, target_matrix([[0, 2]], 4)).backward()
    # d loss / d logits = softmax - target = 1/4 - [1/2, 0, 1/2, 0]
    torch.testing.assert_close(logits.grad, torch.tensor([[-0.25, 0.25, -0.25, 0.25]]))


def test_uniform_logits_cost_log_of_the_class_count():
    loss = softmax_cross_entropy(torch.zeros(3, 5), target_matrix([[0], [1, 2], [4]], 5))
    assert math.isclose(loss.item(), math.log(5), rel_tol=1e-6)


def test_sigmoid_loss_sums_binary_cross_entropy_over_classes():
    logits = torch.tensor([[2.0, -1.0, 0.5]])
    target = target_matrix([[0, 2]], 3)
    expected = -(math.log(torch.sigmoid(torch.tensor(2.0))) + math.log(1 - torch.sigmoid(torch.tensor(-1.0)))
                 + math.log(torch.sigmoid(torch.tensor(0.5))))
    assert math.isclose(sigmoid_cross_entropy(logits, target).item(), expected, rel_tol=1e-6)
