using System.Numerics;
using System.Runtime.InteropServices;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Matrix ±1 / ±∞ of interleaved stacks screened by the vector ord-1 line sums (LineSumNorms.VectorLines with
/// its screen): float64 stacks whose kept axis steps 16 bytes (every second matrix of a C-order (m, n, 2·count) array)
/// give every matrix's exact line sums' max/min rounded once — ScreenAcrossTests' regimes: random data of any scale
/// with subnormals, lines of equal sums, sums just above and at a rounding midpoint a double-double cannot resolve,
/// zeros, and NaN / ∞ / overflow in the largest stacks (which the screen hands back) — for both vector widths and
/// 1–3 threads; complex128 stacks (C order, kept axis
/// contiguous) give each matrix alone's bits.</summary>
[Collection(nameof(EngineKnobsCollection))]
public class StackScreenTests
{
    [Theory]
    [InlineData(16, 17)]
    [InlineData(23, 40)]
    [InlineData(50, 60)]
    public void EverySecondMatrixIsCorrectlyRounded(int m, int n)
    {
        var rng = new Random(m * 1000 + n);
        foreach (int count in new[] { 2, 7, 12, 31 })
        {
            int width = 2 * count;
            var data = new double[m * n * width];
            for (int k = 0; k < count; k++)
            {
                int scale = rng.Next(-1000, 900);
                // the regimes with NaN / ∞ / overflow (k % 6 == 4) only in the largest stack: one such matrix sends the
                // whole stack back to the per-matrix passes
                int regime = count < 31 && k % 6 == 4 ? k + 1 : k;
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                        data[(i * n + j) * width + 2 * k] = ScreenAcrossTests.Entry(rng, regime, i, j, m, n, scale);
            }
            ScreenAcrossTests.AssertExactStack((k, i, j) => data[(i * n + j) * width + 2 * k], m, n, count,
                new long[] { (long)n * width, width, 2 },
                new[] { (Inf, (0, 1)), (NegInf, (0, 1)), (Ord.Of(1), (0, 1)), (Ord.Of(-1), (1, 0)) }, data);
        }
    }

    [Theory]
    [InlineData(9, 12, 5)]
    [InlineData(30, 21, 17)]
    public void Complex128StacksGiveEachMatrixAlone(int m, int n, int count)
    {
        var rng = new Random(m * 100 + n);
        var z = new Complex[m * n * count];
        for (int q = 0; q < z.Length; q++) z[q] = new Complex(Gaussian(rng), Gaussian(rng));
        // in every other matrix, columns 1 and 2 rotations of column 0, then rows 1 and 2 rotations of row 0: tied sums
        for (int k = 1; k < count; k += 2)
        {
            for (int i = 0; i < m; i++)
                for (int j = 1; j <= 2; j++) z[(i * n + j) * count + k] = z[((i + j) % m * n) * count + k];
            for (int i = 1; i <= 2; i++)
                for (int j = 0; j < n; j++) z[(i * n + j) * count + k] = z[((j + i) % n) * count + k];
        }
        var flat = new double[2 * z.Length];
        for (int q = 0; q < z.Length; q++) { flat[2 * q] = z[q].Real; flat[2 * q + 1] = z[q].Imaginary; }
        byte[] bytes = MemoryMarshal.AsBytes(flat.AsSpan()).ToArray();
        var shape = new long[] { m, n, count };
        var strides = new long[] { 16L * n * count, 16L * count, 16 };
        foreach (var o in new[] { Ord.Of(1), Ord.Of(-1), Inf, NegInf })
        {
            var got = Run(bytes, DType.Complex128, shape, strides, 0, 0, 1, o);
            for (int k = 0; k < count; k++)
            {
                var alone = new Complex[m * n];
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) alone[i * n + j] = z[(i * n + j) * count + k];
                double want = Norm(alone, m, n, o);
                Assert.True(want.Equals(got[k]), $"({m},{n},{count}) matrix {k} ord={o.P}: {got[k]:R} vs alone {want:R}");
            }
        }
    }
}
