namespace EventsBindings.Generator.Parser;

/// <summary>
/// A contract the spec accepted but the emit model cannot hold (an inconsistency between what the spec validates
/// and what the emitter can write). Reported as EB9003 at the endpoint's key in the YAML, never emitted as
/// degraded C#.
/// </summary>
internal sealed class EmitModelException(string endpoint, string key, string problem)
    : Exception($"The endpoint '{endpoint}' cannot be generated: {problem}.")
{
    /// <summary>The endpoint's <c>name</c>.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The endpoint's key the problem is in (<c>pagination</c>, <c>sync</c>).</summary>
    public string Key { get; } = key;
}
