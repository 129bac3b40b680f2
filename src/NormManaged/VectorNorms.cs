using NormManaged.Engine;
using NormManaged.Kernels;

namespace NormManaged;

/// <summary>Vector norms over any set of axes of a strided array: the engine behind
/// <c>normnative_vector_norm</c> and <see cref="Norms"/>.</summary>
public static unsafe class VectorNorms
{
    /// <summary>Computes the vector norm of order <paramref name="ord"/> over the axes set in
    /// <paramref name="reduceMask"/> (bit i = axis i; all axes of a 0-d array is mask 0) and writes
    /// one result per kept position into <paramref name="output"/>, whose dtype must be
    /// <see cref="DTypes.ResultType"/> of the input's and whose shape is the input's with the
    /// reduced axes removed or kept as 1.</summary>
    /// <returns>Floating-point events for numpy-compatible warnings.</returns>
    /// <exception cref="NormException">Any invalid argument; nothing has been written then.</exception>
    public static FpEvents Compute(in NdView x, ulong reduceMask, Ord ord, in NdView output)
    {
        x.Validate("x", out long xlo, out long xhi);
        output.Validate("out", out long olo, out long ohi);
        if (x.Rank < 64 && (reduceMask >> x.Rank) != 0)
            throw new NormException(NormError.BadAxis, $"axes: an axis is out of bounds for array of dimension {x.Rank}");
        if (ord.Kind != OrdKind.P)
            throw new NormException(NormError.BadOrd, $"ord: {(ord.Kind == OrdKind.Frobenius ? "'fro'" : "'nuc'")} is not a vector norm order");
        long[] outStrides = OutputLayout.KeptStrides(x, reduceMask, output);
        OutputLayout.CheckNoAlias(x, xlo, xhi, output, olo, ohi);
        var plan = ReductionPlan.Create(x.Shape, x.Strides, reduceMask, outStrides);
        double p = ord.P;
        if (double.IsNegativeInfinity(p) && plan.InnerCount == 0 && plan.OuterCount > 0)
            throw new NormException(NormError.EmptyReduction, "zero-size array to reduction operation minimum which has no identity");
        bool extended = x.DType is DType.LongDouble or DType.CLongDouble;
        if (p == 2.0 && !extended)
            return TwoNorm(plan, x.Data, x.DType, output.Data, output.DType);
        bool realDouble = !extended && !DTypes.IsComplex(x.DType);
        if (realDouble && (double.IsInfinity(p) || p == 0 || p == 1 || (p >= 3 && p <= 64 && p == Math.Floor(p))))
            return RealFast(plan, x.Data, x.DType, p, output.Data, output.DType);
        if (realDouble && RealKernels.HandlesRealP(p))
            return RealPow(plan, x.Data, x.DType, p, output.Data, output.DType);
        return General(plan, x.Data, x.DType, p, output.Data, output.DType);
    }

    /// <summary>Real non-extended dtypes with a non-integer p that <see cref="RealKernels.HandlesRealP"/> accepts.</summary>
    private static FpEvents RealPow(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        var ev = FpEvents.None;
        double* buf = stackalloc double[2 * DoubleBlocks.BlockElements];
        var it = new OuterIterator(plan, x, o);
        while (it.Next(out byte* xp, out byte* op))
        {
            var blocks = new DoubleBlocks(plan, xp, t, buf);
            var acc = new RealKernels.PowAcc();
            ReadOnlySpan<double> b;
            while (!(b = blocks.Next()).IsEmpty) RealKernels.AddRealPowSum(b, p, ref acc);
            if (acc.HasNaN) ev |= ResultWriter.Store(ot, op, double.NaN, 0, 0);
            else if (acc.HasInf) ev |= ResultWriter.Store(ot, op, double.PositiveInfinity, 0, 0);
            else if (!acc.Any) ev |= ResultWriter.Store(ot, op, 0, 0, 0);
            else ev |= ResultWriter.Store(ot, op, GeneralNorm.Root(acc.Hi, acc.Lo, 0, p, acc.Ref));
        }
        return ev;
    }

    /// <summary>Real non-extended dtypes with ord ±inf, 0, 1 or an integer 3…64: SIMD block kernels.</summary>
    private static FpEvents RealFast(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        var ev = FpEvents.None;
        double* buf = stackalloc double[2 * DoubleBlocks.BlockElements];
        var it = new OuterIterator(plan, x, o);
        while (it.Next(out byte* xp, out byte* op))
        {
            var blocks = new DoubleBlocks(plan, xp, t, buf);
            if (double.IsInfinity(p) || p == 0)
            {
                var st = new RealKernels.Stats();
                ReadOnlySpan<double> b;
                while (!(b = blocks.Next()).IsEmpty) RealKernels.AddStats(b, ref st);
                double v = p == 0 ? st.NonZero : st.NaN ? double.NaN : !st.Any ? 0 : p > 0 ? st.Max : st.Min;
                ev |= ResultWriter.Store(ot, op, v, 0, 0);
                continue;
            }
            var acc = new ScaledSum();
            int ip = (int)p;
            {
                ReadOnlySpan<double> b;
                while (!(b = blocks.Next()).IsEmpty)
                {
                    if (ip == 1) RealKernels.AddAbsSum(b, ref acc);
                    else RealKernels.AddIntPowSum(b, ip, ref acc);
                }
            }
            if (acc.HasNaN) ev |= ResultWriter.Store(ot, op, double.NaN, 0, 0);
            else if (acc.HasInf) ev |= ResultWriter.Store(ot, op, double.PositiveInfinity, 0, 0);
            else if (ip == 1) ev |= ResultWriter.Store(ot, op, Ext.Normalize(acc.Hi, acc.Lo, acc.Exp));
            else ev |= ResultWriter.Store(ot, op, GeneralNorm.Root(acc.Hi, acc.Lo, acc.Exp, p, new Ext(1, 0, 0)));
        }
        return ev;
    }

    private static FpEvents General(ReductionPlan plan, byte* x, DType t, double p, byte* o, DType ot)
    {
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o);
        while (it.Next(out byte* xp, out byte* op))
            ev |= GeneralNorm.Reduce(plan, xp, t, p, ot, op);
        return ev;
    }

    private static FpEvents TwoNorm(ReductionPlan plan, byte* x, DType t, byte* o, DType ot)
    {
        var ev = FpEvents.None;
        var it = new OuterIterator(plan, x, o);
        while (it.Next(out byte* xp, out byte* op))
        {
            ScaledSum s = SumOfSquares(plan, xp, t);
            SumSquares.Sqrt(s, out double r, out double c, out int k);
            ev |= ResultWriter.Store(ot, op, r, c, k);
        }
        return ev;
    }

    /// <summary>Σ|x|² over the reduced axes at one kept position, in fixed blocks of the canonical walk.</summary>
    internal static ScaledSum SumOfSquares(ReductionPlan plan, byte* outerPtr, DType t)
    {
        var acc = new ScaledSum();
        if (plan.InnerCount == 0) return acc;
        int width = Gather.Width(t);
        int perBlock = SumSquares.BlockSize / width;
        var walker = new InnerWalker(plan, outerPtr);
        // Contiguous float64 rows are read in place; everything else is widened through a small buffer.
        if (t == DType.Float64 && plan.InnerShape.Length == 1 && plan.InnerStrides[0] == sizeof(double))
        {
            while (walker.Next(perBlock, out byte* p, out int n, out _))
                SumSquares.AddBlock(new ReadOnlySpan<double>(p, n), ref acc);
            return acc;
        }
        double* buf = stackalloc double[SumSquares.BlockSize];
        int filled = 0;
        while (walker.Next(perBlock - filled, out byte* p, out int n, out long stride))
        {
            Gather.Run(t, p, stride, n, buf + filled * width);
            filled += n;
            if (filled == perBlock)
            {
                SumSquares.AddBlock(new ReadOnlySpan<double>(buf, filled * width), ref acc);
                filled = 0;
            }
        }
        if (filled > 0) SumSquares.AddBlock(new ReadOnlySpan<double>(buf, filled * width), ref acc);
        return acc;
    }
}
