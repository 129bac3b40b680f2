using System.Runtime.Intrinsics;
using NormManaged.Engine;
using Xunit;

namespace NormManaged.Tests;

/// <summary>DDColumns' eight-lane cube root (<see cref="DDColumns.CbrtLanes"/>, the start of the ord 3 / 1.5 / −3 roots
/// of eight adjacent outputs): every lane must be <see cref="FloatPowFast.Cbrt"/>'s value bit for bit, since the
/// rounding proof of those roots uses that function's error bound (<see cref="FloatPowFast.CbrtUlps"/>). Random
/// significands over the whole fast range [2⁻⁹⁹⁹, 2⁹⁹⁹], powers of two and their neighbours, the range the columns
/// use ([2⁻⁶⁰¹, 2⁹⁰¹]) and 1 (the value of lanes finished alone).</summary>
public class DDColumnsLanesTests
{
    [Fact]
    public void CubeRootLanesAreTheScalarCubeRoot()
    {
        if (!Vector512.IsHardwareAccelerated) return; // the eight-lane root is only used with 512-bit vectors
        var rng = new Random(314);
        var s = new double[8];
        for (int t = 0; t < 40000; t++)
        {
            for (int i = 0; i < 8; i++)
            {
                int e = t % 4 == 0 ? rng.Next(-601, 902) : rng.Next(-999, 999);
                double m = (t % 7) switch { 0 => 1.0, 1 => Math.BitDecrement(2.0), 2 => Math.BitIncrement(1.0), _ => 1 + rng.NextDouble() };
                s[i] = t == 0 && i == 0 ? 1.0 : Math.ScaleB(m, e);
            }
            var got = DDColumns.CbrtLanes(Vector512.Create(s));
            for (int i = 0; i < 8; i++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(FloatPowFast.Cbrt(s[i])), BitConverter.DoubleToInt64Bits(got.GetElement(i)));
        }
    }
}
