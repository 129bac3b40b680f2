using System.Numerics;
using Xunit;

namespace NormManaged.Tests;

/// <summary>ord −1 over an axis of many lines (<see cref="Engine.LaneAcross"/>' reciprocal lanes: float64 and complex128
/// double-double sums with the quotient in the lanes, float32 plain double sums of a float32 reciprocal and a Newton
/// step, along lanes or along rows in <see cref="Engine.RowsWide"/>): every output must have the bits and events of its
/// line reduced alone, for both widths and 1–3 threads, rows and columns, reversed and spaced layouts; finite lines must
/// equal the exact 1/Σ 1/|x| rounded once (big-integer rationals). float32 lines include exact rounding midpoints
/// (x, y odd with x + y = 2¹⁴ and 2²⁴ ≤ xy &lt; 2²⁵: xy/(x + y) has a 25-bit odd significand) and the same pairs with a
/// third element 2^k, k = 20…70, that moves the result from 2⁻²⁹ to 2⁻⁷⁹ off the midpoint (either side of the test's
/// bound); zeros, ±∞, NaN, subnormal and huge elements; lengths around the 4/8 lanes, 16 (rows ≥ 16 go along the row),
/// the 64-row chunk and 512.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class ReciprocalLanesTests
{
    /// <summary>The correctly rounded value (ties to even) of num/den &gt; 0 with <paramref name="bits"/> significant bits
    /// (24: float32, 53: float64), for a result in the normal range.</summary>
    internal static double RoundRatio(BigInteger num, BigInteger den, int bits)
    {
        int s = bits + 1 - (int)(num.GetBitLength() - den.GetBitLength()); // q gets bits + 1 or bits + 2 bits
        var q = BigInteger.DivRem(s >= 0 ? num << s : num, s >= 0 ? den : den << -s, out var rem);
        if (q.GetBitLength() > bits + 1)
        {
            s--;
            q = BigInteger.DivRem(s >= 0 ? num << s : num, s >= 0 ? den : den << -s, out rem);
        }
        bool round = !q.IsEven;
        q >>= 1;
        if (round && (!rem.IsZero || !q.IsEven)) q += 1;
        return Math.ScaleB((double)q, 1 - s);
    }

    /// <summary>The exact ord −1 norm 1/Σ 1/|x| of finite nonzero values, rounded once to <paramref name="bits"/>.</summary>
    internal static double ExactRecip(IEnumerable<double> xs, int bits)
    {
        var (num, den) = RecipRatio(xs);
        return RoundRatio(num, den, bits);
    }

    /// <summary>True when 1/Σ 1/|x| lies within a relative 2⁻⁸⁰ of a rounding midpoint at <paramref name="bits"/>: beyond
    /// the double-double paths' bound (the lanes' and the 1-D path's alike), where only "the same as the line alone" is
    /// claimed.</summary>
    internal static bool NearMidpoint(IEnumerable<double> xs, int bits)
    {
        var (num, den) = RecipRatio(xs);
        var big = BigInteger.One << 80;
        return RoundRatio(num * (big + 1), den * big, bits) != RoundRatio(num * (big - 1), den * big, bits);
    }

    /// <summary>1/Σ 1/|x| as num/den.</summary>
    private static (BigInteger Num, BigInteger Den) RecipRatio(IEnumerable<double> xs)
    {
        var parts = xs.Select(v => ExactReference.Split(Math.Abs(v))).ToList();
        int kmax = parts.Max(q => q.e);
        // Σ 2^(kmax − k)/m = N/D, the norm = D·2^kmax / N
        BigInteger n = 0, d = 1;
        foreach (var (m, e) in parts) { n = n * m + (d << (kmax - e)); d *= m; }
        return kmax >= 0 ? (d << kmax, n) : (d, n << -kmax);
    }

    /// <summary>Line j of a rows × cols float32 test matrix (row-major, one line per row): one regime per line.</summary>
    private static float[] Line(Random rng, int n, int kind)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(TwoNormTests.Gaussian(rng) * Math.Pow(2, rng.Next(-40, 40)));
        switch (kind)
        {
            case 1: case 2:
            {
                // an exact midpoint pair, repeated (each copy scaled by 2^c contributes 2^-c of the pair's sum)
                int x, y;
                do { x = 2 * rng.Next(1, 1 << 12) + 1; y = (1 << 14) - x; } while ((long)x * y < 1L << 24 || (long)x * y >= 1L << 25);
                int sc = rng.Next(-30, 30);
                for (int i = 0; i < n; i++) a[i] = MathF.ScaleB(i % 2 == 0 ? x : y, sc) * (rng.Next(2) == 0 ? 1 : -1);
                if (kind == 2 && n >= 3) a[rng.Next(n)] = MathF.ScaleB(1f, sc + rng.Next(20, 71)); // off the midpoint by 2^-k
                if (n % 2 == 1 && kind == 1) a[n - 1] = MathF.ScaleB(1f, sc + 100);
                break;
            }
            case 3: a[rng.Next(n)] = 0; break;                                            // → 0, divide-by-zero
            case 4: a[rng.Next(n)] = rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity; break; // a zero term
            case 5: a[rng.Next(n)] = float.NaN; break;
            case 6: a[rng.Next(n)] = float.Epsilon * rng.Next(1, 9); break;               // subnormal: S beyond the lanes
            case 7: for (int i = 0; i < n; i++) a[i] = MathF.ScaleB(1.5f + (float)rng.NextDouble(), rng.Next(120, 126)); break; // r0 subnormal
            case 8: for (int i = 0; i < n; i++) a[i] = MathF.ScaleB(1.5f + (float)rng.NextDouble(), rng.Next(-126, -95)); break; // S ≈ 2¹⁰⁰…2¹²⁶
            case 9: for (int i = 0; i < n; i++) a[i] = rng.Next(1, 4); break;              // exact small sums
        }
        return a;
    }

    private static (float[] R, FpEvents Ev) Axis(float[] buf, long offset, long[] shape, long[] strides, int axis, int outs)
    {
        var r = new float[outs];
        FpEvents ev;
        fixed (float* q = buf) fixed (float* o = r)
            ev = VectorNorms.Compute(new NdView((byte*)q + offset, DType.Float32, shape, strides), 1UL << axis, Ord.Of(-1),
                new NdView(o, DType.Float32, new long[] { outs }, new long[] { 4 }));
        return (r, ev);
    }

    private static (float R, FpEvents Ev) Alone(float[] line)
    {
        float r;
        FpEvents ev;
        fixed (float* q = line)
            ev = VectorNorms.Compute(new NdView(q, DType.Float32, new long[] { line.Length }, new long[] { 4 }), 1, Ord.Of(-1),
                new NdView(&r, DType.Float32, ReadOnlySpan<long>.Empty, ReadOnlySpan<long>.Empty));
        return (r, ev);
    }

    [Theory]
    [InlineData(1, 9, 1)]
    [InlineData(2, 8, 2)]
    [InlineData(3, 13, 3)]
    [InlineData(4, 40, 4)]
    [InlineData(7, 9, 5)]
    [InlineData(8, 17, 6)]
    [InlineData(15, 12, 7)]
    [InlineData(16, 20, 8)]
    [InlineData(17, 11, 9)]
    [InlineData(24, 33, 10)]
    [InlineData(64, 10, 11)]
    [InlineData(65, 10, 12)]
    [InlineData(300, 37, 13)]
    [InlineData(513, 9, 14)]
    [InlineData(40, 700, 15)] // above the thread thresholds
    public void Float32LinesAreAloneAndExact(int len, int outs, int seed)
    {
        var rng = new Random(seed);
        var lines = Enumerable.Range(0, outs).Select(j => Line(rng, len, j % 10)).ToArray();
        var want = new float[outs];
        var wantEv = FpEvents.None;
        int exact = 0, midpoints = 0;
        for (int j = 0; j < outs; j++)
        {
            (want[j], var ev) = Alone(lines[j]);
            wantEv |= ev;
            if (lines[j].All(v => float.IsFinite(v) && v != 0))
            {
                var line = lines[j].Select(v => (double)v).ToArray();
                double e = ExactRecip(line, 24);
                if (e >= 1.1754943508222875e-38) // float32 normal
                {
                    // the exact norm on (or within 2⁻⁸⁰ of) a float32 midpoint: the lanes defer to the line alone, whose
                    // double-double finish does not resolve exact ties (it may round a midpoint either way)
                    if (NearMidpoint(line, 24)) { midpoints++; continue; }
                    Assert.True(BitConverter.SingleToInt32Bits((float)e) == BitConverter.SingleToInt32Bits(want[j]),
                        $"line {j} (kind {j % 10}): alone {want[j]:R} vs exact {(float)e:R} ({e:R}), line {string.Join(", ", lines[j].Select(v => v.ToString("R")))}");
                    exact++;
                }
            }
        }
        Assert.True(exact > 0);
        if (len >= 2 && (len & (len - 1)) == 0 && outs >= 10) Assert.True(midpoints > 0, "no midpoint line"); // n/2 pairs: 2^k
        // rows (C order, axis 1), columns (the transpose in C order, axis 0), reversed rows, every other row
        var rows = lines.SelectMany(l => l).ToArray();
        var cols = new float[len * outs];
        for (int j = 0; j < outs; j++) for (int i = 0; i < len; i++) cols[i * outs + j] = lines[j][i];
        var spaced = new float[2 * len * outs];
        for (int j = 0; j < outs; j++) Array.Copy(lines[j], 0, spaced, 2 * j * len, len);
        foreach (var cfg in EngineKnobs.Configurations())
        {
            if (len * outs > 20000 && cfg.Threads == 3) continue;
            foreach (var (what, (got, ev)) in new[]
            {
                ("rows", EngineKnobs.With(cfg, () => Axis(rows, 0, new long[] { outs, len }, new long[] { 4L * len, 4 }, 1, outs))),
                ("columns", EngineKnobs.With(cfg, () => Axis(cols, 0, new long[] { len, outs }, new long[] { 4L * outs, 4 }, 0, outs))),
                ("reversed rows", EngineKnobs.With(cfg, () => Axis(rows, 4L * len * outs - 4, new long[] { outs, len }, new long[] { -4L * len, -4 }, 1, outs))),
                ("spaced rows", EngineKnobs.With(cfg, () => Axis(spaced, 0, new long[] { outs, len }, new long[] { 8L * len, 4 }, 1, outs))),
            })
            {
                // reversed rows hold the lines in reverse order
                for (int j = 0; j < outs; j++)
                {
                    float w = what == "reversed rows" ? want[outs - 1 - j] : want[j];
                    Assert.True(BitConverter.SingleToInt32Bits(w) == BitConverter.SingleToInt32Bits(got[j]), $"{what} {cfg} line {j}: want {w:R} got {got[j]:R}");
                }
                Assert.Equal(wantEv, ev);
            }
        }
    }

    /// <summary>float64 ord −1 over rows and columns against the exact value rounded once (lines within 2⁻⁸⁰ of a rounding
    /// midpoint are beyond the documented bound and only compared with the line alone).</summary>
    [Theory]
    [InlineData(2, 9, 21)]
    [InlineData(4, 3000, 22)]
    [InlineData(16, 40, 23)]
    [InlineData(65, 12, 24)]
    [InlineData(300, 17, 25)]
    public void Float64LinesAreExact(int len, int outs, int seed)
    {
        var rng = new Random(seed);
        var rows = new double[len * outs];
        for (int j = 0; j < outs; j++)
        {
            int sc = rng.Next(-900, 900), spread = j % 3 == 0 ? 60 : 2;
            for (int i = 0; i < len; i++) rows[j * len + i] = TwoNormTests.Gaussian(rng) * Math.Pow(2, sc + rng.Next(-spread, spread + 1));
        }
        var cols = new double[len * outs];
        for (int j = 0; j < outs; j++) for (int i = 0; i < len; i++) cols[i * outs + j] = rows[j * len + i];
        int checkedExact = 0;
        foreach (var cfg in EngineKnobs.Configurations())
        {
            if (len * outs > 20000 && cfg.Threads == 3) continue;
            var byRows = EngineKnobs.With(cfg, () => Norms(rows, new long[] { outs, len }, new long[] { 8L * len, 8 }, 1, outs));
            var byCols = EngineKnobs.With(cfg, () => Norms(cols, new long[] { len, outs }, new long[] { 8L * outs, 8 }, 0, outs));
            for (int j = 0; j < outs; j += Math.Max(1, outs / 40))
            {
                var line = rows.AsSpan(j * len, len).ToArray();
                if (NearMidpoint(line, 53)) continue;
                double e = ExactRecip(line, 53);
                Assert.True(BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(byRows[j]), $"rows {cfg} line {j}: {byRows[j]:R} vs {e:R}");
                Assert.True(BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(byCols[j]), $"columns {cfg} line {j}: {byCols[j]:R} vs {e:R}");
                checkedExact++;
            }
        }
        Assert.True(checkedExact > 0);
    }

    private static double[] Norms(double[] buf, long[] shape, long[] strides, int axis, int outs)
    {
        var r = new double[outs];
        fixed (double* q = buf) fixed (double* o = r)
            VectorNorms.Compute(new NdView(q, DType.Float64, shape, strides), 1UL << axis, Ord.Of(-1),
                new NdView(o, DType.Float64, new long[] { outs }, new long[] { 8 }));
        return r;
    }
}
