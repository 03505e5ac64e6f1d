namespace EventsBindings.Spec.Diagnostics;

/// <summary>The stable ids of contract diagnostics (documented in contracts/README.md).</summary>
public static class DiagnosticIds
{
    /// <summary>An unexpected failure inside the parser, reported instead of an exception (a bug to report).</summary>
    public const string Internal = "EB1000";

    /// <summary>YAML syntax error.</summary>
    public const string YamlSyntax = "EB1001";

    /// <summary>Unknown key.</summary>
    public const string UnknownKey = "EB1002";

    /// <summary>Missing required key.</summary>
    public const string MissingKey = "EB1003";

    /// <summary>Wrong value type.</summary>
    public const string WrongType = "EB1004";

    /// <summary>A value not among the allowed ones.</summary>
    public const string InvalidValue = "EB1005";

    /// <summary>A type reference that names no model or enum.</summary>
    public const string UnknownType = "EB1006";

    /// <summary>Duplicate name.</summary>
    public const string DuplicateName = "EB1007";

    /// <summary>A field path the item model lacks.</summary>
    public const string UnknownField = "EB1008";

    /// <summary>A default outside its bounds, or minimum above maximum.</summary>
    public const string OutOfBounds = "EB1009";

    /// <summary>An example value of the wrong type.</summary>
    public const string ExampleType = "EB1010";

    /// <summary>An example that lacks a required field.</summary>
    public const string ExampleMissingField = "EB1011";

    /// <summary>Pagination or sync naming a parameter the endpoint lacks.</summary>
    public const string UnknownEndpointParameter = "EB1012";

    /// <summary>The document is too deep or too large.</summary>
    public const string TooComplex = "EB1013";

    /// <summary>Not a valid C# identifier.</summary>
    public const string InvalidIdentifier = "EB1014";

    /// <summary>An unknown auth scheme or exchange endpoint.</summary>
    public const string UnknownScheme = "EB1015";

    /// <summary>Path placeholders and path parameters do not match.</summary>
    public const string PathMismatch = "EB1016";

    /// <summary>Duplicate key in a mapping.</summary>
    public const string DuplicateKey = "EB1017";

    /// <summary>Unsupported format version.</summary>
    public const string UnsupportedFormat = "EB1018";

    /// <summary>A semantics kind that does not fit.</summary>
    public const string SemanticsMismatch = "EB1019";

    /// <summary>An example body that is not valid JSON.</summary>
    public const string ExampleJson = "EB1020";

    /// <summary>A shared parameter name that does not exist.</summary>
    public const string UnknownParameter = "EB1021";

    /// <summary>An invalid URL.</summary>
    public const string InvalidUrl = "EB1022";

    /// <summary>A pagination or sync that the runtime cannot carry out, or whose cursor the generated client cannot carry.</summary>
    public const string UnsupportedPaging = "EB1023";

    /// <summary>An example property the model does not declare (warning).</summary>
    public const string ExampleUnknownField = "EB1501";
}
