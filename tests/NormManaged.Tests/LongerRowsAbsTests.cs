using NormManaged.Engine;
using NormManaged.Kernels;
using Xunit;
using static NormManaged.Tests.ShortLineAbsSumTests;

namespace NormManaged.Tests;

/// <summary>float64 ord 1 over many rows longer than <see cref="RealKernels.ShortAbsLine"/> and at most
/// <see cref="SmallRows.MaxLaneAbsRow"/>: the rows are summed a row per vector lane and stored only when the lane sum
/// clears every rounding midpoint by the margin both error bounds need, so each output must equal its line alone (the
/// offset / 16-lane sums) bit for bit, and the exactly rounded Σ|x| wherever the line alone is correctly rounded.
/// Rows on and next to midpoints (ties, ±δ·ulp for δ from 2⁻⁴ down to 2⁻⁴⁰, below a power of two) exercise both the
/// stored and the declined side of the check.</summary>
[Collection(nameof(EngineKnobsCollection))]
public unsafe class LongerRowsAbsTests
{
    public static IEnumerable<object[]> Lengths()
        => new[] { 65, 66, 79, 80, 100, 127, 128, 129, 200, 255, 256, 257 }.Select(n => new object[] { n });

    /// <summary>A row of small multiples of 2⁻¹⁰ (exact sums) whose Σ|x| is T, plus one element putting the exact sum
    /// at a midpoint of T's binade shifted by <paramref name="delta"/>·ulp, or just below a power of two.</summary>
    private static double[] NearMidpoint(Random rng, int n, double delta, bool belowPowerOfTwo)
    {
        var a = new double[n];
        double t = 0;
        for (int i = 0; i < n - 2; i++) { a[i] = (rng.Next(2) == 0 ? -1 : 1) * rng.Next(0, 1000) / 1024.0; t += Math.Abs(a[i]); }
        if (belowPowerOfTwo)
        {
            // fill up to 2^k − 2⁻¹⁰, then add 2⁻¹⁰ − ulp(2^k)/4: the exact sum is the midpoint below 2^k
            double pow = Math.Pow(2, Math.Ceiling(Math.Log2(t + 1)));
            a[n - 2] = pow - 1.0 / 1024 - t;
            a[n - 1] = 1.0 / 1024 - Math.ScaleB(pow, -54) + delta * Math.ScaleB(pow, -53);
        }
        else
        {
            double ulp = Math.BitIncrement(t) - t;
            a[n - 2] = ulp / 2 + delta * ulp;
            a[n - 1] = 0;
        }
        // shuffle, so the odd part is not always last
        for (int i = n - 1; i > 0; i--) { int j = rng.Next(i + 1); (a[i], a[j]) = (a[j], a[i]); }
        return a;
    }

    private static readonly double[] Deltas =
        { 0, 1.0 / 16, -1.0 / 16, Math.ScaleB(1, -9), -Math.ScaleB(1, -9), Math.ScaleB(1, -11), -Math.ScaleB(1, -11),
          Math.ScaleB(1, -12), -Math.ScaleB(1, -13), Math.ScaleB(1, -20), -Math.ScaleB(1, -30), Math.ScaleB(1, -40) };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void RowsMatchTheLineAlone(int n)
    {
        // rows not a multiple of 8 or 4; a third of them next to a midpoint
        int count = Math.Max(200_000 / n, 64) + 7;
        var rng = new Random(n * 13 + 1);
        var a = new double[count * n];
        var kinds = new int[count];
        for (int k = 0; k < count; k++)
        {
            kinds[k] = rng.Next(18);
            var line = kinds[k] < 12 ? Line(rng, n, kinds[k])
                : NearMidpoint(rng, n, Deltas[rng.Next(Deltas.Length)], kinds[k] >= 15);
            line.CopyTo(a, k * n);
        }
        var alone = new long[count];
        for (int k = 0; k < count; k++) alone[k] = Bits(Alone(a.AsSpan(k * n, n).ToArray()));
        // where the line alone is provably correctly rounded (not spanning the exponent range, finite), it is the
        // exactly rounded sum: so are the rows then
        for (int k = 0; k < count; k++)
        {
            var line = a.AsSpan(k * n, n).ToArray();
            if (kinds[k] != 3 && Array.TrueForAll(line, double.IsFinite) && k % 3 == 0)
                Assert.Equal(Bits(ShortRowsAbsTests.ExactAbsSum(line)), alone[k]);
        }
        foreach (var c in EngineKnobs.Configurations())
        {
            var got = EngineKnobs.With(c, () => Reduce(a, new long[] { count, n }, new long[] { n * 8, 8 }, 0, 0b10, count, 1));
            for (int k = 0; k < count; k++) Assert.Equal(alone[k], Bits(got[k]));
            got = EngineKnobs.With(c, () => Reduce(a, new long[] { count, n }, new long[] { -(long)n * 8, 8 }, (count - 1) * n, 0b10, count, 2));
            for (int k = 0; k < count; k++) Assert.Equal(alone[count - 1 - k], Bits(got[2 * k]));
        }
    }

    [Fact]
    public void RowsWhoseLaneSumRoundsOffAMidpointGoAlone()
    {
        // 1, 2⁻⁵³ and two 2⁻¹⁰⁶ (the rest zeros): the exact sum lies 2⁻¹⁰⁵ above the midpoint 1 + 2⁻⁵³. The one-lane
        // TwoSum's plain error sum c loses each 2⁻¹⁰⁶ (2⁻⁵³ + 2⁻¹⁰⁶ ties to 2⁻⁵³), so s + c sits on the midpoint and
        // rounds to 1, while the line alone adds its error lanes in another order and may round up. The margin check
        // must send such rows alone: every row must equal its line alone, at every placement of the four values.
        var rng = new Random(106);
        foreach (int n in new[] { 65, 100, 256 })
        {
            int count = 8 * 40 + 3;
            var a = new double[count * n];
            for (int k = 0; k < count; k++)
            {
                var pos = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(4).ToArray();
                if (k % 2 == 0) pos[0] = 0;
                a[k * n + pos[0]] = 1.0;
                a[k * n + pos[1]] = Math.ScaleB(1, -53);
                a[k * n + pos[2]] = Math.ScaleB(1, -106);
                a[k * n + pos[3]] = -Math.ScaleB(1, -106);
            }
            var alone = Enumerable.Range(0, count).Select(k => Bits(Alone(a.AsSpan(k * n, n).ToArray()))).ToArray();
            foreach (var c in EngineKnobs.Configurations())
            {
                var got = EngineKnobs.With(c, () => Reduce(a, new long[] { count, n }, new long[] { n * 8, 8 }, 0, 0b10, count, 1));
                for (int k = 0; k < count; k++) Assert.Equal(alone[k], Bits(got[k]));
            }
        }
    }

    [Fact]
    public void MidpointRowsRoundToEvenAmongRows()
    {
        // every row exactly on a midpoint or within 2⁻⁴⁰ ulp of one, at the lengths around the limits, 8-row groups
        foreach (int n in new[] { 65, 128, SmallRows.MaxLaneAbsRow })
        {
            const int count = 203;
            var rng = new Random(n);
            var a = new double[count * n];
            for (int k = 0; k < count; k++)
                NearMidpoint(rng, n, k % 3 == 0 ? 0 : k % 3 == 1 ? Math.ScaleB(1, -40) : -Math.ScaleB(1, -40), k % 2 == 0).CopyTo(a, k * n);
            foreach (var c in EngineKnobs.Configurations())
            {
                var got = EngineKnobs.With(c, () => Reduce(a, new long[] { count, n }, new long[] { n * 8, 8 }, 0, 0b10, count, 1));
                for (int k = 0; k < count; k++)
                {
                    var line = a.AsSpan(k * n, n).ToArray();
                    Assert.Equal(Bits(ShortRowsAbsTests.ExactAbsSum(line)), Bits(got[k]));
                }
            }
        }
    }
}
