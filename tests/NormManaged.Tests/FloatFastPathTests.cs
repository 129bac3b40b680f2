using System.Numerics;
using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The float32/complex64 2-norm fast path (double sum + rounding test) may only ever store the correctly
/// rounded float32 of the true norm — the exact path's bits — and must hand every boundary case to the exact path.</summary>
public unsafe class FloatFastPathTests
{
    /// <summary>Nearest float (ties to even, subnormals, overflow to +inf) to √(Σ x²), exactly.</summary>
    internal static float ExactNorm(IEnumerable<float> xs) => (float)ExactNorm(xs.Select(v => (double)v), 23, -149, 127);

    /// <summary>Nearest value with <paramref name="mant"/> fraction bits, least subnormal 2^<paramref name="minLsb"/>
    /// and largest exponent <paramref name="maxExp"/> (ties to even, overflow to +inf) to √(Σ x²), exactly.</summary>
    internal static double ExactNorm(IEnumerable<double> xs, int mant, int minLsb, int maxExp)
    {
        var (s, e) = ExactReference.SumOfSquares(xs);
        if (s.IsZero) return 0;
        if ((e & 1) != 0) { s <<= 1; e -= 1; }
        int shift = Math.Max(0, 120 - (int)s.GetBitLength());
        if ((shift & 1) != 0) shift++;
        BigInteger t = s << shift;
        BigInteger q = ExactReference.ISqrt(t);
        bool sticky = q * q != t;
        int k = e / 2 - shift / 2; // √ = (q + δ)·2^k
        int len = (int)q.GetBitLength();
        int top = len - 1 + k;
        if (top > maxExp) return double.PositiveInfinity;
        int lsb = Math.Max(top - mant, minLsb);
        int drop = lsb - k; // > 0: q has ≥ 60 bits
        BigInteger kept = q >> drop, rem = q - (kept << drop), half = BigInteger.One << (drop - 1);
        int c = rem.CompareTo(half);
        if (c > 0 || (c == 0 && sticky) || (c == 0 && !kept.IsEven)) kept += 1;
        double v = Math.ScaleB((double)kept, lsb);
        return v >= Math.ScaleB(2.0, maxExp) ? double.PositiveInfinity : v;
    }

    private static float Norm(float* p, long n, long strideBytes, DType t) => FloatSquaresTests.Norm(p, n, strideBytes, t);

    private static int Bits(float f) => BitConverter.SingleToInt32Bits(f);

    [Fact]
    public void RandomVectorsAreCorrectlyRoundedForEveryThreadCountAndOffset()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 60; trial++)
        {
            int n = trial switch { < 20 => rng.Next(1, 200), < 50 => rng.Next(200, 20_000), _ => rng.Next(130_000, 400_000) };
            bool complex = rng.Next(3) == 0;
            int m = complex ? 2 * n : n;
            int off = rng.Next(0, 16);
            var a = new float[m + 16];
            int kind = rng.Next(4);
            int scale = rng.Next(-140, 120);
            for (int i = 0; i < m; i++)
            {
                double g = TwoNormTests.Gaussian(rng);
                a[off + i] = kind switch
                {
                    0 => (float)(g * Math.Pow(2, scale)),
                    1 => (float)(g * Math.Pow(2, rng.Next(-149, 127))),      // every exponent, subnormals too
                    2 => rng.Next(64) == 0 ? (float)(g * 1e30) : (float)g,     // outliers
                    _ => (float)rng.Next(-3, 4),                               // small integers: exact ties are common
                };
            }
            var span = new ArraySegment<float>(a, off, m);
            float want = ExactNorm(span);
            fixed (float* p = a)
            {
                foreach (int threads in new[] { 1, 2, 3 })
                {
                    int old = Parallelism.SetMaxThreads(threads);
                    try { Assert.Equal(Bits(want), Bits(Norm(p + off, n, complex ? 8 : 4, complex ? DType.Complex64 : DType.Float32))); }
                    finally { Parallelism.SetMaxThreads(old); }
                }
            }
        }
    }

    [Fact]
    public void HalfVectorsAreCorrectlyRounded()
    {
        var rng = new Random(12);
        for (int trial = 0; trial < 40; trial++)
        {
            int n = trial < 10 ? rng.Next(1, 100) : rng.Next(100, 30_000);
            var a = new Half[n + 1];
            int kind = rng.Next(3);
            for (int i = 1; i <= n; i++)
                a[i] = kind switch
                {
                    0 => (Half)(TwoNormTests.Gaussian(rng) * Math.Pow(2, rng.Next(-24, 15))),
                    1 => (Half)(TwoNormTests.Gaussian(rng) * Math.Pow(2, trial % 7 - 8)),
                    _ => (Half)rng.Next(-3, 4),
                };
            var vals = a.Skip(1).Select(h => (double)h).ToList();
            double want = ExactNorm(vals, 10, -24, 15);
            Half got;
            fixed (Half* p = a)
            {
                long[] shape = { n }; long[] strides = { 2 };
                var ev = VectorNorms.Compute(new NdView(p + 1, DType.Float16, shape, strides), 1, Ord.Two,
                    new NdView(&got, DType.Float16, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
                Assert.Equal(double.IsInfinity(want) ? FpEvents.Overflow : FpEvents.None, ev);
            }
            Assert.Equal(want, (double)got);
        }
        // an exact tie: ‖(1, 2^-6 four times, 2^-11)‖ = 1 + 2^-11, midway between 1 and 1 + 2^-10 (to even: 1)
        Half q6 = (Half)(1.0 / 64);
        Half[] tie = { (Half)1, q6, q6, q6, q6, (Half)(1.0 / 2048) };
        Half r;
        fixed (Half* p = tie)
        {
            long[] shape = { tie.Length }; long[] strides = { 2 };
            VectorNorms.Compute(new NdView(p, DType.Float16, shape, strides), 1, Ord.Two,
                new NdView(&r, DType.Float16, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
            Assert.Equal((Half)1, r);
        }
        Assert.Equal(1.0, ExactNorm(tie.Select(h => (double)h), 10, -24, 15));
        float[] tf = tie.Select(h => (float)h).ToArray();
        fixed (float* q = tf)
        {
            Half dummy;
            Assert.False(FloatFastPath.TryStoreHalf(FloatFastPath.SumSquares(q, tf.Length), 100, (byte*)&dummy));
        }
    }

    [Fact]
    public void ExactTiesAndNearTiesGoToTheExactPath()
    {
        // ‖(1, 2^-12, 2^-12, 2^-24)‖ = 1 + 2^-24 exactly: the midpoint between 1 and 1 + 2^-23 (ties to even: 1).
        float[] tie = { 1f, MathF.ScaleB(1, -12), MathF.ScaleB(1, -12), MathF.ScaleB(1, -24) };
        float[] above = tie.Append(MathF.ScaleB(1, -60)).ToArray();
        // 1 + 2^-23 + 2^-48 − 2^-60 < (1 + 2^-24)²: replace the last term by a slightly smaller sum
        float[] below = { 1f, MathF.ScaleB(1, -12), MathF.ScaleB(1, -12), MathF.ScaleB(1, -25), MathF.ScaleB(1, -25), MathF.ScaleB(1, -25) };
        fixed (float* p = tie) fixed (float* q = above) fixed (float* r = below)
        {
            double sTie = FloatFastPath.SumSquares(p, tie.Length);
            float dummy;
            Assert.False(FloatFastPath.TryStore(sTie, tie.Length + 64, (byte*)&dummy));
            Assert.Equal(1f, Norm(p, tie.Length, 4, DType.Float32));
            Assert.Equal(Bits(MathF.BitIncrement(1f)), Bits(Norm(q, above.Length, 4, DType.Float32)));
            Assert.Equal(Bits(ExactNorm(below)), Bits(Norm(r, below.Length, 4, DType.Float32)));
        }
        Assert.Equal(1f, ExactNorm(tie));
        Assert.Equal(MathF.BitIncrement(1f), ExactNorm(above));
    }

    [Fact]
    public void RejectsWhatItCannotProve()
    {
        float f;
        Assert.False(FloatFastPath.TryStore(double.NaN, 10, (byte*)&f));
        Assert.False(FloatFastPath.TryStore(double.PositiveInfinity, 10, (byte*)&f));
        Assert.False(FloatFastPath.TryStore(1e80, 10, (byte*)&f));        // norm 1e40 overflows float32
        Assert.False(FloatFastPath.TryStore(1e-80, 10, (byte*)&f));       // subnormal float32 result
        Assert.False(FloatFastPath.TryStore(2.0, 1L << 40, (byte*)&f));   // bound too loose to decide
        Assert.True(FloatFastPath.TryStore(2.0, 100, (byte*)&f));
        Assert.Equal(MathF.Sqrt(2f), f);
        // overflow and non-finite inputs still give the exact path's answers and events
        float[] big = { 3e38f, 3e38f };
        float[] nan = { 1f, float.NaN, float.PositiveInfinity };
        fixed (float* p = big) fixed (float* q = nan)
        {
            long[] shape = { 2 }; long[] strides = { 4 };
            float r;
            var ev = VectorNorms.Compute(new NdView(p, DType.Float32, shape, strides), 1, Ord.Two,
                new NdView(&r, DType.Float32, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
            Assert.True(float.IsPositiveInfinity(r));
            Assert.Equal(FpEvents.Overflow, ev);
            Assert.True(float.IsNaN(Norm(q, 3, 4, DType.Float32)));
        }
    }
}
