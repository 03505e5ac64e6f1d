using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Verify;

/// <summary>
/// Runs a contract's read-only checks against any server (the mock server or the live API): default
/// requests, page sizes, a paging walk, every filter's semantics, bounds, auth, counts, items by id,
/// and drift between what the server sends and what the contract models. Bounded in requests and
/// paced; never prints a secret.
/// </summary>
public static class ContractVerifier
{
    /// <summary>Runs every check of <paramref name="contract"/> against <paramref name="baseUrl"/>.</summary>
    /// <param name="contract">The contract.</param>
    /// <param name="baseUrl">The API's base URL (endpoint paths are appended), such as <c>http://127.0.0.1:5080/adminbyrequest</c>.</param>
    /// <param name="credential">The credential, sent as the contract's first security scheme (or <see cref="VerifyOptions.Scheme"/>).</param>
    /// <param name="options">Budget, pace and scheme; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The report: one result per check.</returns>
    public static async Task<VerifyReport> RunAsync(ContractSpec contract, Uri baseUrl, string credential, VerifyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new VerifyOptions();
        using var run = new VerifierRun(contract, baseUrl, credential, options, cancellationToken);
        return await run.RunAsync().ConfigureAwait(false);
    }
}
