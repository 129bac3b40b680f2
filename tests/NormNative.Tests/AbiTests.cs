using Xunit;

namespace NormNative.Tests;

public unsafe class AbiTests
{
    [Fact]
    public void VersionMatchesHeader()
    {
        string header = File.ReadAllText(FindHeader());
        int major = Macro(header, "NORMNATIVE_VERSION_MAJOR"), minor = Macro(header, "NORMNATIVE_VERSION_MINOR"), patch = Macro(header, "NORMNATIVE_VERSION_PATCH");
        Assert.Equal((uint)(major * 1000000 + minor * 1000 + patch), NativeLib.VersionNumber());
        Assert.Equal(Macro(header, "NORMNATIVE_ABI_VERSION"), NativeLib.AbiVersion());
        Assert.Equal($"{major}.{minor}.{patch}", System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)NativeLib.VersionString()));
    }

    [Fact]
    public void EuclideanNormThroughTheAbi()
    {
        double[] v = { 3, 4, 12 };
        fixed (double* p = v)
        {
            Assert.Equal(0, NativeLib.Norm(p, 3, 8, 2.0, out double r));
            Assert.Equal(13.0, r);
            Assert.Equal(0, NativeLib.Norm(p + 2, 3, -8, 2.0, out r));
            Assert.Equal(13.0, r);
            Assert.Equal("", NativeLib.Message());
        }
    }

    [Fact]
    public void BadDescriptorIsAStatusAndAMessage()
    {
        double v = 1;
        long shape = -5, stride = 8;
        double r;
        var x = new CArray { Data = &v, Shape = &shape, Strides = &stride, NDim = 1, DType = 12 };
        var o = new CArray { Data = &r, NDim = 0, DType = 12 };
        int st = NativeLib.VectorNorm(&x, null, -1, 0, 2.0, &o, null);
        Assert.Equal(-2, st);
        Assert.Contains("shape[0]", NativeLib.Message());

        Assert.Equal(-1, NativeLib.VectorNorm(null, null, -1, 0, 2.0, &o, null));
        Assert.Contains("x", NativeLib.Message());

        x.NDim = 65; shape = 5;
        Assert.Equal(-2, NativeLib.VectorNorm(&x, null, -1, 0, 2.0, &o, null));
        Assert.Contains("ndim", NativeLib.Message());

        x.NDim = 1; x.DType = 1234;
        Assert.Equal(-3, NativeLib.VectorNorm(&x, null, -1, 0, 2.0, &o, null));

        x.DType = 12; shape = long.MaxValue / 4; stride = 8;
        Assert.Equal(-2, NativeLib.VectorNorm(&x, null, -1, 0, 2.0, &o, null));
        Assert.Contains("overflow", NativeLib.Message());
    }

    [Fact]
    public void StatusStringsAreNeverNull()
    {
        foreach (int code in new[] { 0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -99, 7, int.MinValue })
            Assert.True(NativeLib.StatusString(code) != null);
    }

    private static string FindHeader()
    {
        string dir = AppContext.BaseDirectory;
        for (int i = 0; i < 8; i++, dir = Path.GetFullPath(Path.Combine(dir, "..")))
        {
            string h = Path.Combine(dir, "src", "NormNative", "include", "normnative.h");
            if (File.Exists(h)) return h;
        }
        throw new FileNotFoundException("normnative.h");
    }

    private static int Macro(string header, string name)
    {
        var m = System.Text.RegularExpressions.Regex.Match(header, $@"#define {name} (\d+)");
        Assert.True(m.Success, name);
        return int.Parse(m.Groups[1].Value);
    }
}
