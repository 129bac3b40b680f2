using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NormManaged.Kernels;

namespace NormManaged.Engine;

/// <summary>Reads strided elements of any dtype and widens them, exactly, to doubles.
/// Complex elements give two doubles (real, imaginary), so a complex run of n elements fills 2n
/// slots. Reads are unaligned-safe.</summary>
internal static unsafe class Gather
{
    /// <summary>Doubles produced per element.</summary>
    public static int Width(DType t) => DTypes.IsComplex(t) ? 2 : 1;

    /// <summary>Widens <paramref name="n"/> elements starting at <paramref name="p"/>, step
    /// <paramref name="stride"/> bytes, into <paramref name="dst"/> (which must hold n·Width).</summary>
    public static void Run(DType t, byte* p, long stride, int n, double* dst)
    {
        // Contiguous float32 (and complex64, i.e. 2n floats): widen 8 floats at a time.
        if ((t == DType.Float32 && stride == 4) || (t == DType.Complex64 && stride == 8))
        {
            WidenFloats((float*)p, t == DType.Float32 ? n : 2 * n, dst);
            return;
        }
        // strided float32 / complex64: eight floats a step (permutes for x[::2], x[::3]; else element loads)
        if (n >= 8 && (t == DType.Float32 || t == DType.Complex64) && FloatRuns.TakesStride(stride))
        {
            FloatRuns.Widen(p, stride, n, t == DType.Complex64, dst);
            return;
        }
        if (t == DType.Float16 && stride == 2)
        {
            WidenHalves((Half*)p, n, dst);
            return;
        }
        if (t == DType.Float16 && n >= HalvesGatheredFrom)
        {
            GatherHalves(p, stride, n, dst);
            return;
        }
        // Contiguous float64 / complex128 (rows of a multi-axis reduction): a plain copy.
        if ((t == DType.Float64 && stride == 8) || (t == DType.Complex128 && stride == 16))
        {
            long bytes = (long)n * stride;
            Buffer.MemoryCopy(p, dst, bytes, bytes);
            return;
        }
        // Contiguous bool/integers: vector widening of whole groups of eight (same doubles as the loops below).
        if (n >= 8 && IntWiden.Handles(t, stride))
        {
            int done = IntWiden.Run(t, p, n, dst);
            p += done * stride; dst += done; n -= done;
        }
        if (t == DType.Float64 && Avx512F.IsSupported && n > 8 && (stride == 16 || stride == 24))
        {
            int done = StridedDoubles(p, stride, n, dst);
            p += done * stride; dst += done; n -= done;
        }
        switch (t)
        {
            case DType.Float64: for (int i = 0; i < n; i++, p += stride) dst[i] = Unsafe.ReadUnaligned<double>(p); break;
            case DType.Float32: for (int i = 0; i < n; i++, p += stride) dst[i] = Unsafe.ReadUnaligned<float>(p); break;
            case DType.Float16: for (int i = 0; i < n; i++, p += stride) dst[i] = (double)Unsafe.ReadUnaligned<Half>(p); break;
            case DType.Complex128:
                for (int i = 0; i < n; i++, p += stride) { dst[2 * i] = Unsafe.ReadUnaligned<double>(p); dst[2 * i + 1] = Unsafe.ReadUnaligned<double>(p + 8); }
                break;
            case DType.Complex64:
                for (int i = 0; i < n; i++, p += stride) { dst[2 * i] = Unsafe.ReadUnaligned<float>(p); dst[2 * i + 1] = Unsafe.ReadUnaligned<float>(p + 4); }
                break;
            case DType.Bool: for (int i = 0; i < n; i++, p += stride) dst[i] = *p != 0 ? 1.0 : 0.0; break;
            case DType.Int8: for (int i = 0; i < n; i++, p += stride) dst[i] = *(sbyte*)p; break;
            case DType.UInt8: for (int i = 0; i < n; i++, p += stride) dst[i] = *p; break;
            case DType.Int16: for (int i = 0; i < n; i++, p += stride) dst[i] = Unsafe.ReadUnaligned<short>(p); break;
            case DType.UInt16: for (int i = 0; i < n; i++, p += stride) dst[i] = Unsafe.ReadUnaligned<ushort>(p); break;
            case DType.Int32: for (int i = 0; i < n; i++, p += stride) dst[i] = Unsafe.ReadUnaligned<int>(p); break;
            case DType.UInt32: for (int i = 0; i < n; i++, p += stride) dst[i] = Unsafe.ReadUnaligned<uint>(p); break;
            // int64/uint64 round to the nearest double, exactly as numpy's astype(float) does.
            case DType.Int64: for (int i = 0; i < n; i++, p += stride) dst[i] = Unsafe.ReadUnaligned<long>(p); break;
            case DType.UInt64: for (int i = 0; i < n; i++, p += stride) dst[i] = Unsafe.ReadUnaligned<ulong>(p); break;
            default: throw new NormException(NormError.BadDType, $"dtype {DTypes.Name(t)} is not supported by this kernel");
        }
    }

    /// <summary>Widens <paramref name="m"/> contiguous floats, eight at a time.</summary>
    private static void WidenFloats(float* src, int m, double* dst)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= m - 8; i += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Load(src + i));
                lo.Store(dst + i); hi.Store(dst + i + 4);
            }
        for (; i < m; i++) dst[i] = src[i];
    }

    /// <summary>Widens <paramref name="n"/> contiguous halves: to floats 256 at a time by TensorPrimitives' vector
    /// conversion (exact, as the scalar cast), then to doubles. The scalar (double)Half cast was ~45 % of a float16
    /// ord 0.5 vector.</summary>
    private static void WidenHalves(Half* src, int n, double* dst)
    {
        const int chunk = 256;
        float* buf = stackalloc float[chunk];
        for (int i0 = 0; i0 < n; i0 += chunk)
        {
            int len = Math.Min(chunk, n - i0);
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(src + i0, len), new Span<float>(buf, len));
            WidenFloats(buf, len, dst + i0);
        }
    }

    /// <summary>Shortest strided float16 run gathered for the vector conversion (<see cref="GatherHalves"/>).</summary>
    private const int HalvesGatheredFrom = 16;

    /// <summary>Widens <paramref name="n"/> halves <paramref name="stride"/> bytes apart: their bits copied to a buffer a
    /// chunk at a time, then <see cref="WidenHalves"/>' vector conversion (the same doubles as the scalar cast, which
    /// was a software call per element: session 30, float16 `x[::3]` 2-norm and `[::2, ::3]` rows at other orders).</summary>
    private static void GatherHalves(byte* p, long stride, int n, double* dst)
    {
        const int chunk = 256;
        ushort* bits = stackalloc ushort[chunk];
        for (int i0 = 0; i0 < n; i0 += chunk)
        {
            int len = Math.Min(chunk, n - i0);
            for (int i = 0; i < len; i++, p += stride) bits[i] = Unsafe.ReadUnaligned<ushort>(p);
            WidenHalves((Half*)bits, len, dst + i0);
        }
    }

    /// <summary>Strided float64 reads with AVX-512: strides of 2 and 3 doubles as whole-cache-line loads plus
    /// two-source permutes (the data are read in full lines anyway); other strides are left to the caller. Returns
    /// how many of the <paramref name="n"/> elements it copied (a multiple of 8); never reads past the last
    /// element (every vector step stops at least one whole element before the end).</summary>
    private static int StridedDoubles(byte* p, long stride, int n, double* dst)
    {
        int j = 0;
        double* d = (double*)p;
        if (stride == 16)
        {
            var even = Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14);
            for (; j <= n - 9; j += 8, d += 16)
            {
                Prefetch.Ahead128(d);
                Vector512.Store(Avx512F.PermuteVar8x64x2(Vector512.Load(d), even, Vector512.Load(d + 8)), dst + j);
            }
            return j;
        }
        if (stride == 24)
        {
            var ab = Vector512.Create(0L, 3, 6, 9, 12, 15, 0, 0);       // from the first 16 doubles
            var c = Vector512.Create(0L, 1, 2, 3, 4, 5, 10, 13);        // keep 6, add doubles 18 and 21
            for (; j <= n - 9; j += 8, d += 24)
            {
                Prefetch.Ahead128(d); // 192 bytes a step: three lines
                Prefetch.Line((byte*)(d + 16) + Prefetch.Distance);
                var t0 = Avx512F.PermuteVar8x64x2(Vector512.Load(d), ab, Vector512.Load(d + 8));
                Vector512.Store(Avx512F.PermuteVar8x64x2(t0, c, Vector512.Load(d + 16)), dst + j);
            }
            return j;
        }
        return 0;
    }
}

/// <summary>Walks the reduced (inner) axes of a <see cref="ReductionPlan"/> in canonical order,
/// handing out consecutive runs of the innermost axis.</summary>
internal unsafe struct InnerWalker
{
    private readonly ReductionPlan _plan;
    private readonly byte* _base;
    private fixed long _idxSmall[8];
    private readonly long[]? _idxBig;
    private long _pos;     // position within the innermost axis
    private byte* _rowPtr; // address of the current innermost row
    private bool _done;

    public InnerWalker(ReductionPlan plan, byte* outerPtr)
    {
        _plan = plan;
        _base = outerPtr + plan.InnerBaseOffset;
        _idxBig = plan.InnerShape.Length > 8 ? new long[plan.InnerShape.Length] : null;
        _pos = 0;
        _rowPtr = _base;
        _done = plan.InnerCount == 0;
    }

    /// <summary>Next run of at most <paramref name="max"/> elements along the innermost axis;
    /// false when the walk is over.</summary>
    public bool Next(int max, out byte* p, out int n, out long stride)
    {
        stride = _plan.InnerStrides[0];
        p = null; n = 0;
        if (_done) return false;
        long len = _plan.InnerShape[0];
        if (_pos == len)
        {
            // advance the odometer over the outer reduced axes
            int d = 1, rank = _plan.InnerShape.Length;
            for (; d < rank; d++)
            {
                ref long ix = ref (_idxBig != null ? ref _idxBig[d] : ref _idxSmall[d]);
                ix++;
                _rowPtr += _plan.InnerStrides[d];
                if (ix < _plan.InnerShape[d]) break;
                _rowPtr -= _plan.InnerStrides[d] * _plan.InnerShape[d];
                ix = 0;
            }
            if (d == rank) { _done = true; return false; }
            _pos = 0;
        }
        n = (int)Math.Min(max, len - _pos);
        p = _rowPtr + _pos * stride;
        _pos += n;
        return true;
    }
}

/// <summary>Visits every kept (output) position in C order of the kept axes, giving the input and
/// output addresses; allocation-free for ranks ≤ 8.</summary>
/// <summary>Reduces one line for <see cref="OuterIterator.ForEach"/>.</summary>
internal unsafe interface ILineVisitor
{
    /// <summary>The line starting at <paramref name="xp"/> (<see cref="ReductionPlan.InnerBaseOffset"/> applied) into
    /// the output at <paramref name="dst"/>.</summary>
    FpEvents Line(byte* xp, byte* dst);
}

internal unsafe struct OuterIterator
{
    /// <summary>Calls <paramref name="v"/> on the lines of outputs first … first + count − 1 in C order: one kept axis
    /// walks by its strides, several through the iterator. The events of all lines, or-ed.</summary>
    public static FpEvents ForEach<TV>(ReductionPlan plan, byte* x, byte* o, long first, long count, ref TV v)
        where TV : struct, ILineVisitor
    {
        var ev = FpEvents.None;
        if (plan.OuterShape.Length == 1)
        {
            long si = plan.OuterInStrides[0], so = plan.OuterOutStrides[0];
            byte* xp = x + plan.InnerBaseOffset + first * si, dst = o + first * so;
            for (long k = 0; k < count; k++, xp += si, dst += so)
                ev |= v.Line(xp, dst);
            return ev;
        }
        var it = new OuterIterator(plan, x, o, first, count);
        while (it.Next(out byte* lp, out byte* d))
            ev |= v.Line(lp + plan.InnerBaseOffset, d);
        return ev;
    }

    private readonly ReductionPlan _plan;
    private fixed long _idx[8];
    private long[]? _bigIdx;
    private long _remaining;
    private byte* _xp, _op;
    private bool _started;
    // the innermost kept axis, stepped without the arrays (its index lives here, not in _idx): index, extent, strides
    private long _i0, _n0, _si0, _so0;

    public OuterIterator(ReductionPlan plan, byte* x, byte* o) : this(plan, x, o, 0, plan.OuterCount) { }

    /// <summary>Visits <paramref name="count"/> positions starting at linear (C-order) index <paramref name="start"/>.</summary>
    public OuterIterator(ReductionPlan plan, byte* x, byte* o, long start, long count)
    {
        _plan = plan;
        _remaining = count;
        _started = false;
        int d = plan.OuterShape.Length;
        _bigIdx = d > 8 ? new long[d] : null;
        long rem = start;
        for (int a = d - 1; a >= 0 && count > 0; a--) // no outputs: nothing to position (an extent may be 0)
        {
            long n = plan.OuterShape[a];
            long ix = rem % n; rem /= n;
            if (_bigIdx != null) _bigIdx[a] = ix; else _idx[a] = ix;
            x += ix * plan.OuterInStrides[a]; o += ix * plan.OuterOutStrides[a];
        }
        _xp = x; _op = o;
        _i0 = _n0 = _si0 = _so0 = 0;
        if (d > 0)
        {
            _i0 = _bigIdx != null ? _bigIdx[d - 1] : _idx[d - 1];
            _n0 = plan.OuterShape[d - 1]; _si0 = plan.OuterInStrides[d - 1]; _so0 = plan.OuterOutStrides[d - 1];
        }
    }

    public bool Next(out byte* xp, out byte* op)
    {
        xp = null; op = null;
        if (_remaining <= 0) return false;
        if (_started)
        {
            // the innermost axis by its fields (most steps end here: the arrays' loads and bounds checks were
            // 4–11 % of short-line kernels over N-D views); a wrap carries into the outer axes as before
            if (++_i0 < _n0)
            {
                _xp += _si0; _op += _so0;
                _remaining--;
                xp = _xp; op = _op;
                return true;
            }
            _i0 = 0;
            _xp -= _si0 * (_n0 - 1); _op -= _so0 * (_n0 - 1);
            var shape = _plan.OuterShape;
            for (int a = shape.Length - 2; a >= 0; a--)
            {
                ref long ix = ref (_bigIdx != null ? ref _bigIdx[a] : ref _idx[a]);
                ix++;
                _xp += _plan.OuterInStrides[a]; _op += _plan.OuterOutStrides[a];
                if (ix < shape[a]) break;
                _xp -= _plan.OuterInStrides[a] * shape[a]; _op -= _plan.OuterOutStrides[a] * shape[a];
                ix = 0;
            }
        }
        _started = true;
        _remaining--;
        xp = _xp; op = _op;
        return true;
    }
}
