namespace NormManaged;

/// <summary>The kind of a norm order. Values are the C ABI's <c>NORMNATIVE_ORD_*</c> codes.</summary>
public enum OrdKind
{
    /// <summary>A real order <c>p</c> (any double, including 0, ±inf, negative and NaN).</summary>
    P = 0,
    /// <summary>Frobenius (matrices only).</summary>
    Frobenius = 1,
    /// <summary>Nuclear: sum of singular values (matrices only).</summary>
    Nuclear = 2,
}

/// <summary>A norm order: <see cref="OrdKind.P"/> with a value, or Frobenius / nuclear.</summary>
public readonly record struct Ord(OrdKind Kind, double P)
{
    /// <summary>The 2-norm (the default for vectors).</summary>
    public static Ord Two => new(OrdKind.P, 2.0);
    /// <summary>The p-norm.</summary>
    public static Ord Of(double p) => new(OrdKind.P, p);
    /// <summary>Frobenius (the default for matrices).</summary>
    public static Ord Fro => new(OrdKind.Frobenius, 0);
    /// <summary>Nuclear norm.</summary>
    public static Ord Nuc => new(OrdKind.Nuclear, 0);
}

/// <summary>Floating-point events a computation reports so that callers can warn as numpy does.
/// Values are the C ABI's <c>NORMNATIVE_FP_*</c> bits.</summary>
[Flags]
public enum FpEvents : uint
{
    None = 0,
    /// <summary>A zero element was raised to a negative order (numpy: "divide by zero encountered in power/reciprocal"),
    /// or an empty vector has a negative order (numpy: "... in scalar power").</summary>
    DivideByZero = 1,
    /// <summary>The exact result is finite but too large for the result type, so +inf was stored.</summary>
    Overflow = 2,
    /// <summary>Reserved: the exact nonzero result was too small for the result type.</summary>
    Underflow = 4,
    /// <summary>Reserved for an invalid operation.</summary>
    Invalid = 8,
    /// <summary>The empty vector had a negative order (the divide by zero happened in the final scalar power).</summary>
    ScalarPower = 16,
}
