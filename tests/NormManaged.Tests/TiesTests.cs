using System.Numerics;
using NormManaged.Kernels;
using Xunit;

namespace NormManaged.Tests;

/// <summary>Norms exactly at (or a hair from) a rounding midpoint of the result: the half-integer orders (exact ties
/// built from rational square roots, <see cref="PowerTie"/>). Expected values are exact by construction; every SIMD
/// width and thread count, the 1-D kernels and the lane kernels must store them.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class TiesTests
{
    /// <summary>(d, k): elements kᵢ·o·2^e whose p-norm is exactly d·o·2^e (Σ (√kᵢ/√d)^(2p) = 1), for p = 0.5
    /// (1/3 + 2/3), 1.5 (1³ + 6³ + 8³ = 9³), −0.5 (5/8 + 3/8).</summary>
    private static (long D, long[] K) Family(double p) => p switch
    {
        0.5 => (9, new long[] { 1, 4 }),
        1.5 => (81, new long[] { 1, 36, 64 }),
        _ => (225, new long[] { 9 * 64, 25 * 64 }),
    };

    public static readonly TheoryData<double> TieOrders = new() { 0.5, 1.5, -0.5 };

    private static double VectorNorm(double[] x, long stride, double p)
    {
        double r;
        int n = x.Length / (int)Math.Abs(stride);
        fixed (double* q = x)
        {
            double* first = stride > 0 ? q : q + x.Length - 1;
            VectorNorms.Compute(new NdView(first, DType.Float64, new long[] { n }, new[] { 8 * stride }), 1, Ord.Of(p),
                new NdView(&r, DType.Float64, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        }
        return r;
    }

    /// <summary>Norms of the columns (axis 0) of a C-order rows×cols matrix: the lane kernels' layout.</summary>
    private static double[] ColumnNorms(double[] a, int rows, int cols, double p)
    {
        var r = new double[cols];
        fixed (double* q = a) fixed (double* o = r)
            VectorNorms.Compute(new NdView(q, DType.Float64, new long[] { rows, cols }, new long[] { 8L * cols, 8 }), 1, Ord.Of(p),
                new NdView(o, DType.Float64, new long[] { cols }, new long[] { 8 }));
        return r;
    }

    /// <summary>The float64 nearest to M·2^e (M odd, 2⁵³ ≤ M &lt; 2⁵⁴): the neighbour (M ± 1)/2·2^(e+1) with an even significand.</summary>
    private static double TieToEven(long m, int e)
    {
        long lo = m >> 1;
        return Math.ScaleB((lo & 1) == 0 ? lo : lo + 1, e + 1);
    }

    [Theory]
    [MemberData(nameof(TieOrders))]
    public void HalfIntegerTiesRoundToEvenOnEveryPath(double p)
    {
        var (d, k) = Family(p);
        var rng = new Random(17 + (int)(4 * p));
        int found = 0;
        for (int trial = 0; found < 12 && trial < 1000; trial++)
        {
            long o = (rng.NextInt64((1L << 53) / d + 1, (1L << 54) / d) | 1);
            long m = d * o;
            if (m < 1L << 53 || m >= 1L << 54) continue;
            found++;
            int e = rng.Next(-300, 300);
            // copies: p = 0.5 → norm ×c², p = 1.5 → ×c^(2/3) (c = 8 → 4), p = −0.5 → ×c^(−2); c a power of two keeps a tie
            foreach (int copies in new[] { 1, 8, 64 })
            {
                int scaleExp = p switch { 0.5 => 2 * Log2(copies), 1.5 => 2 * Log2(copies) / 3, _ => -2 * Log2(copies) };
                double want = TieToEven(m, e + scaleExp);
                var x = new double[k.Length * copies];
                for (int i = 0; i < x.Length; i++) x[i] = Math.ScaleB((double)(k[i % k.Length] * o), e) * (i % 3 == 0 ? -1 : 1);
                rng.Shuffle(x);
                foreach (var c in EngineKnobs.Configurations())
                {
                    Assert.Equal(want, EngineKnobs.With(c, () => VectorNorm(x, 1, p)));
                    Assert.Equal(want, EngineKnobs.With(c, () => VectorNorm(x, -1, p)));
                }
                // as one column among eight (lane kernels for p = 0.5), then rows of the transposed layout
                int cols = 8, rows = x.Length;
                var a = new double[rows * cols];
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < cols; j++) a[r * cols + j] = j == 3 ? x[r] : x[(r + j) % rows] * 0.75;
                foreach (var c in EngineKnobs.Configurations())
                    Assert.Equal(want, EngineKnobs.With(c, () => ColumnNorms(a, rows, cols, p))[3]);
            }
        }
        Assert.Equal(12, found);
    }

    private static int Log2(int v) => BitOperations.Log2((uint)v);

    [Theory]
    [MemberData(nameof(TieOrders))]
    public void PowerTieComparesExactly(double p)
    {
        // direct: the constructed tie is "equal"; one element a ulp up or down moves the norm that way
        var (d, k) = Family(p);
        long o = ((1L << 54) / d - 2) | 1;
        long m = d * o;
        var mid = new Midpoint { Odd = m, Exp = 0 };
        var x = k.Select(kv => (double)(kv * o)).ToArray();
        Assert.Equal(0, new PowerTie(p, mid).Compare(f => { foreach (double v in x) f(v); }));
        foreach (int dir in new[] { -1, 1 })
        {
            var y = (double[])x.Clone();
            y[0] = dir > 0 ? Math.BitIncrement(y[0]) : Math.BitDecrement(y[0]);
            // a p-norm increases with every |xᵢ| (for p < 0 too: the sum falls, its negative root rises)
            Assert.Equal(dir, new PowerTie(p, mid).Compare(f => { foreach (double v in y) f(v); }));
        }
        // a zero changes nothing (p > 0); far smaller elements push p > 0 up just above the tie
        if (p > 0)
        {
            var z = x.Append(0.0).Append(Math.ScaleB(1.0, -1074)).ToArray();
            Assert.Equal(1, new PowerTie(p, mid).Compare(f => { foreach (double v in z) f(v); }));
        }
    }

    [Fact]
    public void MidpointNearFindsTheMidpoint()
    {
        // 1 + 2⁻⁵³ is the float64 midpoint above 1: as (1, 2⁻⁵³), as (1 + 2⁻⁵², −2⁻⁵³), and off by 2⁻¹²⁰
        foreach (var (h, l) in new[] { (1.0, Math.ScaleB(1.0, -53)), (1 + Math.ScaleB(1.0, -52), -Math.ScaleB(1.0, -53)),
                                       (1.0, Math.ScaleB(1.0, -53) + Math.ScaleB(1.0, -120)) })
        {
            Assert.True(Midpoint.Near(Ext.Normalize(h, l, 40), DType.Float64, Math.ScaleB(1.0, -68), out var m));
            Assert.Equal((1L << 53) + 1, m.Odd);
            Assert.Equal(40 - 53, m.Exp);
        }
        Assert.False(Midpoint.Near(Ext.Normalize(1.0, Math.ScaleB(1.0, -54), 0), DType.Float64, Math.ScaleB(1.0, -68), out _));
        // float32 and a subnormal float64 grid (spacing 2⁻¹⁰⁷⁴): 3·2⁻¹⁰⁷⁵ is halfway between 2⁻¹⁰⁷⁴ and 2⁻¹⁰⁷³
        Assert.True(Midpoint.Near(Ext.Normalize(1.0, Math.ScaleB(1.0, -24), 0), DType.Float32, Math.ScaleB(1.0, -68), out var f));
        Assert.Equal((1L << 24) + 1, f.Odd);
        Assert.True(Midpoint.Near(Ext.Normalize(3, 0, -1075), DType.Float64, Math.ScaleB(1.0, -68), out var s));
        Assert.Equal(3, s.Odd);
        Assert.Equal(-1075, s.Exp);
        Assert.Equal(2.0, s.Neighbour(0)); // ties to even: 2·2⁻¹⁰⁷⁴
    }
}
