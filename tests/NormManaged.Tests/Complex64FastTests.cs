using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>The contiguous complex64 fast path (<see cref="Complex64Fast"/>: ord 1, 0.5, 1.5, ±2.5, 3, 4, −1, −2, ±∞) must give
/// the exact paths' bits and events — the same values read with a stride of two elements take the exact paths — for
/// every SIMD width (the narrow one skips the fast path) and thread count, every length 0…300 and the block and lane
/// boundaries, misaligned starts, reversed views and special values; and on inputs whose exact norm is a float32
/// rounding midpoint (or within a hair of one) it must decline and leave the tie-breaking to the exact path.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class Complex64FastTests
{
    private static readonly double[] Ords = { 1, 0.5, 1.5, 2.5, -2.5, 3, 4, -1, -2, double.PositiveInfinity, double.NegativeInfinity };

    /// <summary>The norm of n complex64 values at <paramref name="first"/> with an element step of <paramref name="step"/>.</summary>
    private static (float R, FpEvents Ev) Norm(float* first, long n, long step, double ord)
    {
        long[] shape = { n }; long[] strides = { step * 8 };
        float r;
        var ev = VectorNorms.Compute(new NdView(first, DType.Complex64, shape, strides), 1, Ord.Of(ord),
            new NdView(&r, DType.Float32, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        return (r, ev);
    }

    /// <summary>The exact paths' result: the same values every other element of a buffer twice as long.</summary>
    private static (float R, FpEvents Ev) Exact(float[] reim, double ord)
    {
        int n = reim.Length / 2;
        var spread = new float[4 * n + 4];
        for (int i = 0; i < n; i++) { spread[4 * i] = reim[2 * i]; spread[4 * i + 1] = reim[2 * i + 1]; }
        fixed (float* s = spread) return Norm(s, n, 2, ord);
    }

    private static float[] Data(Random rng, int n, int kind)
    {
        var a = new float[2 * n];
        int scale = rng.Next(-120, 100);
        for (int i = 0; i < 2 * n; i++)
        {
            double g = TwoNormTests.Gaussian(rng);
            a[i] = kind switch
            {
                0 => (float)(g * Math.Pow(2, scale)),
                1 => (float)(g * Math.Pow(2, rng.Next(-149, 127))),                      // every exponent, subnormals too
                2 => (float)rng.Next(-3, 4),                                               // small integers: zeros, exact |z|
                3 => i % 2 == 0 ? (float)(g * 1e30) : (float)(g * 1e-30),                  // |re| ≫ |im|
                4 => (float)(g * 1e38) is var h && float.IsFinite(h) ? h : float.MaxValue, // near the top: |z|² ≈ 2^256
                5 => rng.Next(2) == 0 ? float.Epsilon * rng.Next(1, 9) : (float)g,         // subnormal parts
                _ => (float)(1 + g * 1e-6),                                                // nearly equal |z|: ties of ±∞
            };
        }
        return a;
    }

    private static void Inject(Random rng, float[] a)
    {
        int n = a.Length / 2, i = rng.Next(n);
        switch (rng.Next(7))
        {
            case 0: a[2 * i] = 0; a[2 * i + 1] = -0f; break;
            case 1: a[2 * i + rng.Next(2)] = float.NaN; break;
            case 2: a[2 * i + rng.Next(2)] = rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity; break;
            case 3: a[2 * i] = float.PositiveInfinity; a[2 * i + 1] = float.NaN; break; // |z| = ∞ in numpy
            case 4: a[2 * i] = float.Epsilon; a[2 * i + 1] = 0; break;
        }
    }

    private static void Same((float R, FpEvents Ev) want, (float R, FpEvents Ev) got, string what)
    {
        Assert.True(BitConverter.SingleToInt32Bits(want.R) == BitConverter.SingleToInt32Bits(got.R) || (float.IsNaN(want.R) && float.IsNaN(got.R)),
            $"{what}: {got.R:R} vs exact path {want.R:R}");
        Assert.True(want.Ev == got.Ev, $"{what}: events {got.Ev} vs exact path {want.Ev}");
    }

    private static void CheckAll(float[] a, string what, bool allConfigs)
    {
        int n = a.Length / 2;
        var rng = new Random(n);
        int off = 2 * rng.Next(0, 4) + rng.Next(2); // misaligned by whole and half elements
        var shifted = new float[2 * n + 10];
        Array.Copy(a, 0, shifted, off, 2 * n);
        var reversed = new float[2 * n + 2];
        for (int i = 0; i < n; i++) { reversed[2 * (n - 1 - i)] = a[2 * i]; reversed[2 * (n - 1 - i) + 1] = a[2 * i + 1]; }
        foreach (double ord in Ords)
        {
            if (n == 0 && double.IsNegativeInfinity(ord)) continue; // an empty minimum is an error on every path
            var want = Exact(a, ord);
            var configs = allConfigs ? EngineKnobs.Configurations() : new[] { (true, 1), (false, 1), (true, 2) };
            foreach (var c in configs)
            {
                Same(want, EngineKnobs.With(c, () => { fixed (float* p = shifted) return Norm(p + off, n, 1, ord); }), $"{what} ord={ord} {c}");
                Same(want, EngineKnobs.With(c, () => { fixed (float* p = reversed) return Norm(p + 2 * (n - 1), n, -1, ord); }), $"{what} reversed ord={ord} {c}");
            }
        }
    }

    [Fact]
    public void EveryLengthUpTo300MatchesTheExactPath()
    {
        var rng = new Random(51);
        for (int n = 0; n <= 300; n++)
        {
            int kind = n % 7;
            var a = Data(rng, n, kind);
            if (n > 0 && n % 3 == 0) Inject(rng, a);
            CheckAll(a, $"n={n} kind={kind}", false);
        }
    }

    [Fact]
    public void LongVectorsMatchTheExactPathForEveryWidthAndThreadCount()
    {
        var rng = new Random(52);
        foreach (int n in new[] { 511, 512, 513, 4095, 4096, 4097, 65_535, 131_072, 131_073, 262_147 })
            for (int kind = 0; kind < 7; kind++)
            {
                if (n > 5000 && kind is 2 or 5) continue;
                var a = Data(rng, n, kind);
                CheckAll(a, $"n={n} kind={kind}", n < 5000 || kind == 0);
                if (kind == 0)
                {
                    Inject(rng, a);
                    CheckAll(a, $"n={n} kind={kind} special", false);
                }
            }
    }

    /// <summary>Whether the fast path accepts n contiguous values (and the value it stores). TryRun is called directly:
    /// Applies reads RealKernels.Wide, which tests in other classes running in parallel switch off for a moment.</summary>
    private static bool FastAccepts(float[] a, int n, double p, out float r)
    {
        long[] shape = { n }, strides = { 8 };
        var plan = ReductionPlan.Create(shape, strides, 1, ReadOnlySpan<long>.Empty);
        float v = 0;
        bool ok;
        fixed (float* q = a) ok = Complex64Fast.TryRun(plan, (byte*)q, (byte*)&v, p);
        r = v;
        return ok;
    }

    /// <summary>|8192 + 16777215i| = 16777217 = 2²⁴ + 1 exactly (16777217² = 8192² + 16777215²): a float32 rounding
    /// midpoint. n equal copies give a midpoint norm for every order when n^(1/p) is a power of two; the fast path must
    /// decline there (any honest error interval contains the midpoint; the exact paths resolve ties only to within
    /// 2⁻⁷², see README "Accuracy"). One more element, far below (p &gt; 0) or far above (p &lt; 0) the others, moves the
    /// exact norm ~2⁻⁵⁸/|p| above (p &gt; 0) or below (p &lt; 0) the midpoint: inside every fast-path bound (≥ 8u = 2⁻⁵⁰),
    /// so the fast path must decline again, and far outside the exact paths' window, so the result is known.</summary>
    [Fact]
    public void RoundingMidpointsAreLeftToTheExactPath()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return; // no fast path to test; the exact paths are tested elsewhere
        var cases = new (double P, int N, double Scale)[]
        {
            (1, 1, 1), (1, 16, 16), (1, 64, 64), (0.5, 1, 1), (0.5, 4, 16), (2.5, 32, 4), (3, 8, 2), (3, 64, 4),
            (4, 16, 2), (-1, 4, 0.25), (-1, 32, 1.0 / 32), (-2, 4, 0.5), (-2, 64, 0.125),
            (double.PositiveInfinity, 1, 1), (double.PositiveInfinity, 37, 1), (double.NegativeInfinity, 37, 1),
        };
        foreach (var (p, n, scale) in cases)
            foreach (int e in new[] { 0, -40, 40 })
            {
                float re = MathF.ScaleB(8192f, e), im = MathF.ScaleB(16777215f, e);
                var a = new float[2 * n];
                for (int i = 0; i < n; i++) { a[2 * i] = i % 2 == 0 ? re : im; a[2 * i + 1] = i % 2 == 0 ? im : -re; }
                Assert.False(FastAccepts(a, n, p, out float r0), $"midpoint p={p} n={n} e={e}: the fast path stored {r0:R}");
                if (double.IsInfinity(p))
                {
                    // ±∞ of |z| = 2²⁴ + 1 exactly: the exact extreme, rounded once to even
                    Assert.Equal(MathF.ScaleB(16777216f, e), Norm1(a, n, p));
                    continue;
                }
                var b = new float[2 * n + 2];
                Array.Copy(a, b, 2 * n);
                b[2 * n] = (float)(Math.ScaleB(16777217.0, e) * scale * Math.Pow(2, -58 / p));
                float want = (float)(Math.ScaleB(p > 0 ? 16777218.0 : 16777216.0, e) * scale);
                Assert.False(FastAccepts(b, n + 1, p, out float r1), $"near midpoint p={p} n={n} e={e}: the fast path stored {r1:R}");
                Assert.Equal(want, Exact(b, p).R);
                foreach (var c in EngineKnobs.Configurations())
                    Assert.Equal(want, EngineKnobs.With(c, () => Norm1(b, n + 1, p)));
            }
    }

    private static float Norm1(float[] a, int n, double p)
    {
        fixed (float* q = a) return Norm(q, n, 1, p).R;
    }

    /// <summary>Random data: whenever the fast path accepts, its value is the exact path's (and the exact reference's,
    /// which the exact paths are tested against elsewhere); it accepts almost always on ordinary data.</summary>
    [Fact]
    public void TheFastPathAcceptsOrdinaryDataAndAgreesWhenItDoes()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return;
        var rng = new Random(53);
        int accepted = 0, tried = 0;
        foreach (int n in new[] { 5, 40, 1000, 20_000 })
            for (int rep = 0; rep < 10; rep++)
            {
                var a = Data(rng, n, 0);
                float f = MathF.ScaleB(1f, rng.Next(-50, 50)); // results well inside the normal range (subnormal ones are declined)
                for (int i = 0; i < a.Length; i++) a[i] = (float)TwoNormTests.Gaussian(rng) * f;
                foreach (double p in Ords)
                {
                    tried++;
                    if (!FastAccepts(a, n, p, out float r)) continue;
                    accepted++;
                    Assert.Equal(Exact(a, p).R, r);
                }
            }
        Assert.True(accepted >= tried - 2, $"accepted {accepted} of {tried}");
    }

    [Fact]
    public void ZerosAndSpecialValuesKeepNumpysResultsAndEvents()
    {
        foreach (int n in new[] { 1, 7, 16, 33, 1000 })
            foreach (int pos in new[] { 0, n / 2, n - 1 })
                foreach (var (re, im) in new[] { (0f, 0f), (-0f, 0f), (float.NaN, 1f), (1f, float.NaN), (float.PositiveInfinity, 0f),
                                                 (0f, float.NegativeInfinity), (float.PositiveInfinity, float.NaN), (float.Epsilon, float.Epsilon) })
                {
                    var a = new float[2 * n];
                    for (int i = 0; i < 2 * n; i++) a[i] = 1 + i * 0.25f;
                    a[2 * pos] = re; a[2 * pos + 1] = im;
                    foreach (double ord in Ords)
                    {
                        var want = Exact(a, ord);
                        foreach (var c in new[] { (true, 1), (false, 1) })
                            Same(want, EngineKnobs.With(c, () => { fixed (float* q = a) return Norm(q, n, 1, ord); }), $"n={n} pos={pos} ({re}, {im}) ord={ord} {c}");
                    }
                }
        // all zeros: p > 0 gives 0, p < 0 gives 0 with a divide-by-zero event, ±∞ give 0
        var z = new float[2 * 40];
        foreach (double ord in Ords)
            fixed (float* q = z)
            {
                var (r, ev) = Norm(q, 40, 1, ord);
                Assert.Equal(0f, r);
                Assert.Equal(ord < 0 && !double.IsInfinity(ord) ? FpEvents.DivideByZero : FpEvents.None, ev);
            }
    }
}
