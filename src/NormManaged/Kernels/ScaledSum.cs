using System.Runtime.CompilerServices;

namespace NormManaged.Kernels;

/// <summary>A non-negative sum kept as a double-double with a separate binary exponent:
/// value = (Hi + Lo) · 2^Exp. Power-of-two rescaling is exact, so partial sums from blocks whose
/// elements were scaled differently combine without overflow, underflow or rounding beyond
/// the double-double's own ~2⁻¹⁰⁶ relative error. NaN and infinity are tracked as flags, with
/// numpy's precedence: any NaN gives NaN, else any infinity gives infinity.</summary>
internal struct ScaledSum
{
    public int Exp;
    public double Hi, Lo;
    public bool HasNaN, HasInf;

    public readonly bool IsZero => Hi == 0 && Lo == 0;

    /// <summary>Adds (h + l) · 2^e, both ≥ 0.</summary>
    public void Add(int e, double h, double l)
    {
        if (h == 0 && l == 0) return;
        if (Hi == 0 && Lo == 0) { Exp = e; Hi = h; Lo = l; return; }
        if (e > Exp)
        {
            // rescale the running sum down to the new exponent
            int d = Exp - e;
            Hi = Math.ScaleB(Hi, d); Lo = Math.ScaleB(Lo, d); Exp = e;
        }
        else if (e < Exp)
        {
            int d = e - Exp;
            h = Math.ScaleB(h, d); l = Math.ScaleB(l, d);
        }
        DD.Add(ref Hi, ref Lo, h, l);
    }

    /// <summary>Merges another partial (same semantics as adding its value).</summary>
    public void Add(in ScaledSum other)
    {
        HasNaN |= other.HasNaN; HasInf |= other.HasInf;
        Add(other.Exp, other.Hi, other.Lo);
    }

    /// <summary>Brings Exp to an even number (so that a square root scales exactly).</summary>
    public void MakeExpEven()
    {
        if ((Exp & 1) != 0) { Hi *= 2; Lo *= 2; Exp -= 1; }
    }
}
