// Kernels stackalloc block buffers (tens of KB) that are always written before being read:
// skipping their zero-initialisation is a measurable part of a small call.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
