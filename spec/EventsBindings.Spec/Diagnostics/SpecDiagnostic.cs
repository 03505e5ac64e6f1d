namespace EventsBindings.Spec.Diagnostics;

/// <summary>How bad a contract problem is.</summary>
public enum SpecSeverity
{
    /// <summary>The contract can still be used.</summary>
    Warning,

    /// <summary>The contract cannot be used; nothing is generated from it.</summary>
    Error,
}

/// <summary>
/// A place in a contract file. Lines and columns are 1-based; offsets are 0-based character
/// indexes into the text, end exclusive.
/// </summary>
public sealed record SourceSpan(string File, int StartLine, int StartColumn, int EndLine, int EndColumn, int StartOffset, int EndOffset)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{StartLine}:{StartColumn}";
}

/// <summary>A problem found in a contract, with a stable id and its location.</summary>
public sealed record SpecDiagnostic(string Id, SpecSeverity Severity, string Message, SourceSpan Location)
{
    /// <summary>Formats like a compiler message: <c>file(line,col): error EB1002: message</c>.</summary>
    public override string ToString() =>
        $"{Location.File}({Location.StartLine},{Location.StartColumn}): {(Severity == SpecSeverity.Error ? "error" : "warning")} {Id}: {Message}";
}
