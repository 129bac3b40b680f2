using System.Numerics;
using Xunit;
using static NormManaged.Tests.MatrixTestUtil;

namespace NormManaged.Tests;

/// <summary>Complex 2×2 σ_min (|det| / σ_max) against exact Gaussian-integer references.</summary>
public class SvdComplex2Tests
{
    [Fact]
    public void SmallestValueOfGaussianIntegerMatricesIsRelativelyAccurate()
    {
        // Integer entries: F = ‖A‖²_F and D = |det A|² are exact integers, σ_max² + σ_min² = F and
        // σ_max·σ_min = √D, so σ_min = √D / σ_max with σ_max² = (F + √(F² − 4D))/2 (computed here
        // from exact integers). Nearly singular matrices (D ≪ F²) test relative accuracy of σ_min.
        var rng = new Random(21);
        for (int trial = 0; trial < 400; trial++)
        {
            long R() => rng.Next(-3000, 3001);
            long ar = R(), ai = R(), br = R(), bi = R(), cr = R(), ci = R();
            long dr, di;
            if (trial % 2 == 0) { dr = R(); di = R(); }
            else
            {
                // d ≈ b·c/a rounded to integers: det is tiny compared with the entries' products
                var q = new Complex(br, bi) * new Complex(cr, ci) / (ar == 0 && ai == 0 ? Complex.One : new Complex(ar, ai));
                dr = (long)Math.Round(q.Real); di = (long)Math.Round(q.Imaginary);
            }
            var a = new[] { new Complex(ar, ai), new Complex(br, bi), new Complex(cr, ci), new Complex(dr, di) };
            BigInteger F = 0;
            foreach (var z in a) F += (BigInteger)(z.Real * z.Real) + (BigInteger)(z.Imaginary * z.Imaginary);
            BigInteger detR = (BigInteger)ar * dr - (BigInteger)ai * di - ((BigInteger)br * cr - (BigInteger)bi * ci);
            BigInteger detI = (BigInteger)ar * di + (BigInteger)ai * dr - ((BigInteger)br * ci + (BigInteger)bi * cr);
            BigInteger D = detR * detR + detI * detI;
            double disc = Math.Sqrt((double)(F * F - 4 * D));
            double smax = Math.Sqrt(((double)F + disc) / 2);
            double want = smax == 0 ? 0 : Math.Sqrt((double)D) / smax;
            double got = Norm(a, 2, 2, Ord.Of(-2));
            Assert.True(RelErr(got, want) < 2e-15, $"{trial}: {got:R} vs {want:R}");
        }
    }
}
