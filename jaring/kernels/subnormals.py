"""Flush-to-zero for the length of one kernel call: subnormal numbers computed as zero, then restored.

x86 CPUs compute on subnormal numbers (below 1.2e-38 in float32) through a microcode assist that
costs about a hundred normal operations. A fused optimizer pass meets them where Adam's decaying
first moment, times the step size, falls below that line (the MNIST MLP in benchmarks/ has thousands of such
weights, those of its always-blank border pixels). The kernels clear that cost the way PyTorch's
`torch.set_flush_denormal(True)` and TensorFlow's default do, by setting the FTZ and DAZ bits of
the SSE control register (MXCSR). Here they are set only for one kernel call:

    saved = flush_subnormals()
    ... the loop ...
    restore_subnormals(saved)

so NumPy, PyTorch and the rest of the process keep IEEE arithmetic. Inside, a result below the
smallest normal number becomes zero and such an input counts as zero. Off x86 (ARM's FPCR works
differently) both calls do nothing and the loop computes with subnormals.

Numba's disk cache is keyed on the source file of the kernel that calls these, not on this file:
after editing it, touch kernels/optim.py (or delete its __pycache__) so the kernels recompile.
"""

from __future__ import annotations

import platform

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

# MXCSR bit 15 (FTZ: flush subnormal results to zero) and bit 6 (DAZ: read subnormal inputs as zero)
FTZ_DAZ = (1 << 15) | (1 << 6)
X86 = platform.machine().lower() in ("x86_64", "amd64", "i386", "i686", "x86")

_I32 = ir.IntType(32)
_BYTE_POINTER = ir.IntType(8).as_pointer()


def _mxcsr_call(builder, name: str, slot) -> None:
    """Call llvm.x86.sse.stmxcsr (store the register into slot) or ldmxcsr (load it from slot)."""
    fn = cgutils.get_or_insert_function(
        builder.module, ir.FunctionType(ir.VoidType(), [_BYTE_POINTER]), f"llvm.x86.sse.{name}"
    )
    builder.call(fn, [builder.bitcast(slot, _BYTE_POINTER)])


@intrinsic
def flush_subnormals(typingctx):
    """Set FTZ and DAZ; returns the register's previous value, for `restore_subnormals`."""

    def codegen(context, builder, signature, args):
        if not X86:
            return context.get_constant(types.uint32, 0)
        slot = cgutils.alloca_once(builder, _I32)
        _mxcsr_call(builder, "stmxcsr", slot)
        old = builder.load(slot)
        builder.store(builder.or_(old, ir.Constant(_I32, FTZ_DAZ)), slot)
        _mxcsr_call(builder, "ldmxcsr", slot)
        return old

    return types.uint32(), codegen


@intrinsic
def restore_subnormals(typingctx, saved):
    """Put back the register value that `flush_subnormals` returned."""

    def codegen(context, builder, signature, args):
        if X86:
            slot = cgutils.alloca_once(builder, _I32)
            builder.store(args[0], slot)
            _mxcsr_call(builder, "ldmxcsr", slot)
        return context.get_dummy_value()

    return types.void(types.uint32), codegen
