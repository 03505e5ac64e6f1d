using Microsoft.CodeAnalysis;

namespace EventsBindings.Generator;

/// <summary>Diagnostic descriptors: the spec model's EB1xxx ids plus the generator's own.</summary>
internal static class GeneratorDiagnostics
{
    private const string Category = "EventsBindings.Contract";
    private static readonly Dictionary<string, DiagnosticDescriptor> Cache = new();
    private static readonly object Gate = new();

    public static readonly DiagnosticDescriptor InternalError = new(
        "EB9001",
        "The generator failed on a contract",
        "The generator failed on the contract '{0}': {1}. Please report this with the contract.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Unreadable = new(
        "EB9002",
        "A contract could not be read",
        "{0}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotEmittable = new(
        "EB9003",
        "A contract's endpoint cannot be generated",
        "{0}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>A descriptor for a spec diagnostic id; the message is the spec model's.</summary>
    public static DiagnosticDescriptor For(string id, DiagnosticSeverity severity)
    {
        var key = id + ":" + severity;
        lock (Gate)
        {
            if (!Cache.TryGetValue(key, out var descriptor))
            {
                descriptor = new DiagnosticDescriptor(id, "Contract problem", "{0}", Category, severity, isEnabledByDefault: true, helpLinkUri: null);
                Cache[key] = descriptor;
            }

            return descriptor;
        }
    }
}
