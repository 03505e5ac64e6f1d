using Microsoft.CodeAnalysis;
using Xunit;

namespace EventsBindings.Generator.Tests;

/// <summary>What the generator emits for a custom Authorization scheme, templated servers and a relative default (the orglog test contract).</summary>
public sealed class AuthServerDefaultEmitTests
{
    private static string Generated()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "orglog", "orglog.events.yaml"));
        var (result, compilation) = GeneratorHarness.Run(new[] { (AdditionalText)new InMemoryAdditionalText("/tests/orglog.events.yaml", text) });
        Assert.Empty(result.Diagnostics);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        return string.Join("\n", result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.SourceText.ToString()));
    }

    [Fact]
    public void The_emitted_code_carries_the_scheme_the_factories_and_the_relative_default()
    {
        var code = Generated();
        Assert.Contains("new(\"ssws\", global::EventsBindings.Runtime.Infrastructure.AuthSchemeKind.Authorization, null, null, null, \"SSWS\"),", code, StringComparison.Ordinal);
        Assert.Contains("public static global::System.Uri Org(string? orgDomain = null)", code, StringComparison.Ordinal);
        Assert.Contains("public static global::System.Uri Regional(string tenant, string? region = null)", code, StringComparison.Ordinal);
        Assert.Contains("/// <param name=\"region\">The region of the cell; one of <c>eu</c>, <c>us</c>; null for the default <c>eu</c>.</param>", code, StringComparison.Ordinal);
        Assert.Contains("ServerVariables { get; }", code, StringComparison.Ordinal);
        Assert.Contains("Default: 7 days before until (or now when until is absent)", code, StringComparison.Ordinal);
    }
}
