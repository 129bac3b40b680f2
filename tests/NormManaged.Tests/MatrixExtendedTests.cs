using System.Numerics;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Matrix norms of order ±1 / ±∞ on longdouble / clongdouble (x87 extended) against exact
/// big-integer references rounded to a 64-bit significand.</summary>
public unsafe class MatrixExtendedTests
{
    private static readonly Ord[] LineOrds = { Ord.Of(1), Ord.Of(-1), Inf, NegInf };

    /// <summary>An exact non-negative dyadic m·2^e.</summary>
    private readonly record struct Dy(BigInteger M, int E);

    private static Dy Sum(IEnumerable<Dy> xs)
    {
        var l = xs.Where(d => !d.M.IsZero).ToList();
        if (l.Count == 0) return new Dy(BigInteger.Zero, 0);
        int e0 = l.Min(d => d.E);
        BigInteger s = BigInteger.Zero;
        foreach (var d in l) s += d.M << (d.E - e0);
        return new Dy(s, e0);
    }

    private static int Cmp(Dy a, Dy b)
    {
        if (a.M.IsZero || b.M.IsZero) return a.M.CompareTo(b.M);
        int e = Math.Min(a.E, b.E);
        return (a.M << (a.E - e)).CompareTo(b.M << (b.E - e));
    }

    /// <summary>Rounds to the x87 format (64-bit significand, ties to even; normal range only) as
    /// (significand, lsb exponent) the way <see cref="TestArray.ReadX87"/> reports it.</summary>
    private static (BigInteger m, long lsb) RoundX87(Dy d)
    {
        if (d.M.IsZero) return (BigInteger.Zero, 0);
        BigInteger m = d.M; long e = d.E;
        long bits = (long)m.GetBitLength();
        if (bits > 64)
        {
            int s = (int)(bits - 64);
            BigInteger kept = m >> s, rem = m - (kept << s), half = BigInteger.One << (s - 1);
            int c = rem.CompareTo(half);
            if (c > 0 || (c == 0 && !kept.IsEven)) kept += 1;
            m = kept; e += s;
            if (m.GetBitLength() > 64) { m >>= 1; e++; }
        }
        else { int s = (int)(64 - bits); m <<= s; e -= s; }
        if (e + 63 > 16383) return (BigInteger.MinusOne, 0); // +inf
        return (m, e);
    }

    private static byte[] Compute(byte[] bytes, DType t, long[] shape, long[] byteStrides, long off, int r, int c, Ord ord, out FpEvents ev)
    {
        var outShape = shape.Where((_, i) => i != r && i != c).ToArray();
        long count = outShape.Aggregate(1L, (x, y) => x * y);
        var res = new byte[Math.Max(1, count) * 16];
        var os = CStrides(outShape).Select(s => s * 16).ToArray();
        fixed (byte* p = bytes, o = res)
            ev = MatrixNorms.Compute(new NdView(p + off, t, shape, byteStrides), r, c, ord, new NdView(o, DType.LongDouble, outShape, os));
        return res;
    }

    private static (BigInteger, long) Read(byte[] res, int i)
    {
        fixed (byte* p = res) return TestArray.ReadX87(p + 16 * i);
    }

    private static Dy Reference(Dy[,] a, Ord ord)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        bool cols = Math.Abs(ord.P) == 1;
        int lines = cols ? n : m, len = cols ? m : n;
        var sums = Enumerable.Range(0, lines).Select(l => Sum(Enumerable.Range(0, len).Select(k => cols ? a[k, l] : a[l, k]))).ToList();
        Dy best = sums[0];
        foreach (var s in sums) if (ord.P > 0 ? Cmp(s, best) > 0 : Cmp(s, best) < 0) best = s;
        return best;
    }

    public static IEnumerable<object[]> Cases()
    {
        foreach (var (m, n) in new[] { (1, 1), (3, 3), (4, 7), (7, 4), (1, 40), (40, 1), (25, 30) })
            foreach (int layout in new[] { 0, 1, 2 })
                yield return new object[] { m, n, layout };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LongDoubleLineSumsAreCorrectlyRounded(int m, int n, int layout)
    {
        // full 64-bit significands over a wide exponent range (far beyond float64), three layouts,
        // two matrices in the batch; results must equal the exact sums rounded once to x87.
        var rng = new Random(7000 + m * 100 + n * 3 + layout);
        int batch = 2;
        var a = new Dy[batch, m, n];
        int baseExp = rng.Next(-16000, 16000);
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    ulong mant = ((ulong)rng.NextInt64() << 1) | 1UL | (1UL << 63);
                    if (rng.Next(8) == 0) mant = 0;
                    a[b, i, j] = new Dy(new BigInteger(mant), baseExp - 63 + rng.Next(-70, 20));
                }
        long rs = layout switch { 0 => n, 1 => 1, _ => -2L * n };
        long cs = layout switch { 0 => 1, 1 => m, _ => -2 };
        long bs = 2L * m * n;
        long off = layout == 2 ? 2L * m * n - 2 : 0;
        var bytes = new byte[16 * (batch * bs + 2)];
        fixed (byte* p = bytes)
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                        TestArray.WriteX87Raw(p + 16 * (off + b * bs + i * rs + j * cs), (ulong)a[b, i, j].M, a[b, i, j].E, neg: rng.Next(2) == 0);
        foreach (var o in LineOrds)
        {
            var res = Compute(bytes, DType.LongDouble, new long[] { batch, m, n }, new long[] { 16 * bs, 16 * rs, 16 * cs }, 16 * off, 1, 2, o, out var ev);
            Assert.Equal(FpEvents.None, ev);
            for (int b = 0; b < batch; b++)
            {
                var mat = new Dy[m, n];
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) mat[i, j] = a[b, i, j];
                Assert.Equal(RoundX87(Reference(mat, o)), Read(res, b));
            }
        }
    }

    [Fact]
    public void CancellationProneLongDoubleSumIsExact()
    {
        // 1 + 2^-70 + 2^-70: invisible to a float64 or plain x87 running sum one term at a time
        int m = 3;
        var bytes = new byte[16 * m];
        fixed (byte* p = bytes)
        {
            TestArray.WriteX87Raw(p, 1, 0);
            TestArray.WriteX87Raw(p + 16, 1, -64);
            TestArray.WriteX87Raw(p + 32, 1, -64);
        }
        var res = Compute(bytes, DType.LongDouble, new long[] { m, 1 }, new long[] { 16, 16 }, 0, 0, 1, Ord.Of(1), out _);
        // 1 + 2^-63 exactly: significand 2^63 + 1
        Assert.Equal((BigInteger.One << 63) + 1, Read(res, 0).Item1);
        Assert.Equal(-63L, Read(res, 0).Item2);
    }

    [Fact]
    public void ClongDoubleUsesExactMagnitudes()
    {
        // Pythagorean parts (3k, 4k)·2^e have exact magnitudes 5k·2^e, so sums are exact big integers
        var rng = new Random(91);
        int m = 5, n = 6;
        var bytes = new byte[32 * m * n];
        var a = new Dy[m, n];
        fixed (byte* p = bytes)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    ulong k = (ulong)rng.NextInt64(1, 1L << 60);
                    int e = rng.Next(-16300, 16200);
                    TestArray.WriteX87Raw(p + 32 * (i * n + j), 3 * k, e, rng.Next(2) == 0);
                    TestArray.WriteX87Raw(p + 32 * (i * n + j) + 16, 4 * k, e, rng.Next(2) == 0);
                    a[i, j] = new Dy(new BigInteger(5) * k, e);
                }
        foreach (var o in LineOrds)
        {
            var res = Compute(bytes, DType.CLongDouble, new long[] { m, n }, new long[] { 32L * n, 32 }, 0, 0, 1, o, out _);
            Assert.Equal(RoundX87(Reference(a, o)), Read(res, 0));
        }
    }

    [Fact]
    public void NaNInfinityOverflowAndEmpty()
    {
        var nan = (new BigInteger(-2), 0L);
        var inf = (BigInteger.MinusOne, 0L);
        foreach (var t in new[] { DType.LongDouble, DType.CLongDouble })
        {
            int sz = DTypes.ItemSize(t);
            long[] shape = { 2, 2 }, st = { 2L * sz, sz };
            byte[] Make(params double[] v)
            {
                var b = new byte[4 * sz];
                fixed (byte* p = b) for (int i = 0; i < 4; i++) TestArray.WriteX87(p + i * sz, v[i]);
                return b;
            }
            // NaN wins over everything, for max and min
            foreach (var o in LineOrds)
                Assert.Equal(nan, Read(Compute(Make(double.NaN, 1, double.PositiveInfinity, 2), t, shape, st, 0, 0, 1, o, out _), 0));
            // infinity: max is inf, min is the finite line
            Assert.Equal(inf, Read(Compute(Make(double.NegativeInfinity, 1, 1, 2), t, shape, st, 0, 0, 1, Ord.Of(1), out _), 0));
            Assert.Equal(RoundX87(new Dy(3, 0)), Read(Compute(Make(double.NegativeInfinity, 1, 1, 2), t, shape, st, 0, 0, 1, Ord.Of(-1), out _), 0));
            // the sum of two largest finite x87 values overflows: +inf and the Overflow event
            var big = new byte[4 * sz];
            fixed (byte* p = big)
                for (int i = 0; i < 4; i++) TestArray.WriteX87Raw(p + i * sz, ulong.MaxValue, 16383 - 63);
            Assert.Equal(inf, Read(Compute(big, t, shape, st, 0, 0, 1, Inf, out var ev), 0));
            Assert.Equal(FpEvents.Overflow, ev);
            // empty: max over no lines is 0, sums over no elements are 0, min over no lines throws
            Assert.Equal((BigInteger.Zero, 0L), Read(Compute(Array.Empty<byte>(), t, new long[] { 0, 3 }, st, 0, 0, 1, Ord.Of(-1), out _), 0));
            Assert.Equal((BigInteger.Zero, 0L), Read(Compute(Array.Empty<byte>(), t, new long[] { 3, 0 }, st, 0, 0, 1, Ord.Of(1), out _), 0));
            var ex = Assert.Throws<NormException>(() => Compute(Array.Empty<byte>(), t, new long[] { 3, 0 }, st, 0, 0, 1, Ord.Of(-1), out _));
            Assert.Equal(NormError.EmptyReduction, ex.Error);
        }
    }

    [Fact]
    public void LargeStackIsTheSameOnEveryThreadCount()
    {
        var rng = new Random(5);
        int count = 3000;
        var bytes = new byte[16 * 9 * count];
        fixed (byte* p = bytes)
            for (int i = 0; i < 9 * count; i++) TestArray.WriteX87Raw(p + 16 * i, (ulong)rng.NextInt64() | (1UL << 63), rng.Next(-200, 200));
        foreach (var o in LineOrds)
        {
            byte[]? first = null;
            foreach (int t in new[] { 1, 2, 3 })
            {
                int prev = Parallelism.SetMaxThreads(t);
                try
                {
                    var r = Compute(bytes, DType.LongDouble, new long[] { count, 3, 3 }, new long[] { 144, 48, 16 }, 0, 1, 2, o, out _);
                    if (first == null) first = r; else Assert.Equal(first, r);
                }
                finally { Parallelism.SetMaxThreads(prev); }
            }
        }
    }
}
