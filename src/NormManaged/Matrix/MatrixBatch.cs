using NormManaged.Engine;

namespace NormManaged.Matrix;

/// <summary>A stack of m×n matrices read in place: the batch (kept) axes with their input and
/// output strides, and the row/column extents and byte strides of every matrix. Matrices are
/// independent, so splitting the batch over threads never changes a result.</summary>
internal sealed unsafe class MatrixBatch
{
    public readonly byte* X;
    public readonly byte* O;
    public readonly DType T, OT;
    public readonly long M, N, Rs, Cs;
    public readonly long Count;
    private readonly long[] _shape, _in, _out;

    public MatrixBatch(in NdView x, int rowAxis, int colAxis, in NdView output, long[] outStrides)
    {
        ulong mask = (1UL << rowAxis) | (1UL << colAxis);
        var plan = ReductionPlan.Create(x.Shape, x.Strides, mask, outStrides);
        X = x.Data; O = output.Data; T = x.DType; OT = output.DType;
        M = x.Shape[rowAxis]; N = x.Shape[colAxis];
        Rs = x.Strides[rowAxis]; Cs = x.Strides[colAxis];
        _shape = plan.OuterShape; _in = plan.OuterInStrides; _out = plan.OuterOutStrides;
        Count = plan.OuterCount;
    }

    /// <summary>True when the matrices lie along a single kept axis (after merging): matrix k at X + k·<paramref name="inStride"/>,
    /// its result at O + k·<paramref name="outStride"/>.</summary>
    public bool OneKeptAxis(out long inStride, out long outStride)
    {
        bool one = _shape.Length == 1;
        inStride = one ? _in[0] : 0;
        outStride = one ? _out[0] : 0;
        return one;
    }

    /// <summary>Calls <paramref name="body"/> once per matrix position in [start, end), in order.</summary>
    public void ForRange(long start, long end, Action<long, nint, nint> body)
    {
        if (start >= end) return;
        int d = _shape.Length;
        Span<long> idx = d <= 16 ? stackalloc long[d] : new long[d];
        long rem = start;
        byte* xp = X, op = O;
        for (int a = d - 1; a >= 0; a--)
        {
            idx[a] = rem % _shape[a]; rem /= _shape[a];
            xp += idx[a] * _in[a]; op += idx[a] * _out[a];
        }
        for (long k = start; k < end; k++)
        {
            body(k, (nint)xp, (nint)op);
            for (int a = d - 1; a >= 0; a--)
            {
                idx[a]++;
                xp += _in[a]; op += _out[a];
                if (idx[a] < _shape[a]) break;
                xp -= _in[a] * _shape[a]; op -= _out[a] * _shape[a];
                idx[a] = 0;
            }
        }
    }

    /// <summary>Runs <paramref name="range"/> over the whole batch, split into contiguous chunks
    /// over up to <see cref="Parallelism.MaxThreads"/> threads when the total work
    /// (<paramref name="workPerMatrix"/> × count, in rough flops) is large.</summary>
    public void Run(double workPerMatrix, Action<long, long> range)
    {
        int threads = Parallelism.MaxThreads;
        if (Count <= 1 || threads <= 1 || workPerMatrix * Count < 4e5)
        {
            range(0, Count);
            return;
        }
        long chunks = Math.Min(Count, threads * 4L);
        Parallelism.For((int)chunks, threads, c =>
        {
            long s = Count * c / chunks, e = Count * (c + 1) / chunks;
            range(s, e);
        });
    }
}
