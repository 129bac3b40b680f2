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

    /// <summary>The four-lane cube root (<see cref="FloatPowFast.CbrtLanes"/>, float32 ord 3's band finish) over its
    /// whole fast range [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰] and the range float32 cube sums take, every lane the scalar's bits; and
    /// <see cref="FloatPowFast.InCbrtRange"/> false as soon as one lane leaves that range (0, subnormal, ∞, NaN).</summary>
    [Fact]
    public void FourLaneCubeRootIsTheScalarCubeRoot()
    {
        var rng = new Random(2718);
        var s = new double[4];
        for (int t = 0; t < 40000; t++)
        {
            for (int i = 0; i < 4; i++)
            {
                int e = t % 3 == 0 ? rng.Next(-447, 385) : rng.Next(-1000, 1000);
                double m = (t % 7) switch { 0 => 1.0, 1 => Math.BitDecrement(2.0), 2 => Math.BitIncrement(1.0), _ => 1 + rng.NextDouble() };
                s[i] = Math.ScaleB(m, e);
            }
            if (t == 1) { s[0] = Math.ScaleB(1.0, -1000); s[1] = Math.ScaleB(1.0, 1000); }
            var v = Vector256.Create(s);
            Assert.True(FloatPowFast.InCbrtRange(v));
            var got = FloatPowFast.CbrtLanes(v);
            for (int i = 0; i < 4; i++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(FloatPowFast.Cbrt(s[i])), BitConverter.DoubleToInt64Bits(got.GetElement(i)));
        }
        foreach (double bad in new[] { 0.0, double.Epsilon, Math.BitDecrement(Math.ScaleB(1.0, -1000)), Math.BitIncrement(Math.ScaleB(1.0, 1000)), double.PositiveInfinity, double.NaN })
            Assert.False(FloatPowFast.InCbrtRange(Vector256.Create(1.0, bad, 8.0, 27.0)));
    }
}
