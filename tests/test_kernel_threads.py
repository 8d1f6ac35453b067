"""Notebooks side by side share the machine: each kernel's numeric libraries get their share of the cores."""

from __future__ import annotations

from salesops_helpers.batch import execute
from salesops_helpers.batch.execute import ProjectKernelManager, kernel_threads, thread_limits


def test_side_by_side_kernels_get_their_share_of_the_cores(monkeypatch):
    monkeypatch.setattr(execute.os, "cpu_count", lambda: 2)
    assert kernel_threads(1) is None  # one at a time: the libraries' own choice
    assert kernel_threads(2) == 1
    assert kernel_threads(4) == 1  # never none
    monkeypatch.setattr(execute.os, "cpu_count", lambda: 16)
    assert kernel_threads(2) == 8


def test_the_kernel_is_started_with_the_thread_limits_the_user_has_not_set(monkeypatch):
    for name in execute.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")
    manager = type("Manager", (ProjectKernelManager,), {"threads": 1})()
    env = manager.kernel_spec.env
    assert env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == "1"
    assert "MKL_NUM_THREADS" not in env  # the user's 3 stands
    assert thread_limits(None) == {}
    assert "OMP_NUM_THREADS" not in type("Manager", (ProjectKernelManager,), {})().kernel_spec.env
