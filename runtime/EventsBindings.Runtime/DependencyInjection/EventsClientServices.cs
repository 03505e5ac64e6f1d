using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace EventsBindings.Runtime.Infrastructure;

/// <summary>
/// What the generated <c>Add&lt;Api&gt;Client</c> extensions call: registers a client on IHttpClientFactory so
/// that its options (and, with them, its access-token cache) and its credential are built once per
/// registration, on first use, and shared by every client resolved from it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EventsClientServices
{
    /// <summary>Registers a client under a name (empty: the unnamed registration, resolved as <typeparamref name="TClient"/>).</summary>
    /// <typeparam name="TClient">The generated client.</typeparam>
    /// <typeparam name="TOptions">Its options.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The registration's name; a named client is resolved through <see cref="IEventsClientFactory{TClient}"/> or as a keyed service.</param>
    /// <param name="credentialFactory">Creates the registration's credential (once).</param>
    /// <param name="configure">Configures the registration's options (once); may be null.</param>
    /// <param name="create">Creates a client on an HTTP client of the factory.</param>
    /// <returns>The builder of the registration's HTTP client.</returns>
    public static IHttpClientBuilder AddClient<TClient, TOptions>(
        IServiceCollection services,
        string name,
        Func<IServiceProvider, EventsCredential> credentialFactory,
        Action<IServiceProvider, TOptions>? configure,
        Func<HttpClient, EventsCredential, TOptions, TClient> create)
        where TClient : class
        where TOptions : EventsClientOptions, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(credentialFactory);
        ArgumentNullException.ThrowIfNull(create);

        // The unnamed registration keeps the HTTP client name of earlier versions (handlers configured by name still apply).
        var httpClientName = typeof(TClient).FullName + (name.Length == 0 ? string.Empty : ":" + name);
        services.AddSingleton(new EventsClientRegistration<TClient>(name, httpClientName, provider =>
        {
            var options = new TOptions();
            configure?.Invoke(provider, options);
            options.LoggerFactory ??= (ILoggerFactory?)provider.GetService(typeof(ILoggerFactory));
            var credential = credentialFactory(provider) ?? throw new InvalidOperationException($"The credential factory of the {typeof(TClient).Name} registration '{name}' returned null.");
            return http => create(http, credential, options);
        }));
        services.TryAddSingleton<IEventsClientFactory<TClient>>(static provider => new EventsClientFactory<TClient>(provider));
        if (name.Length == 0)
        {
            services.AddTransient(static provider => ((IEventsClientFactory<TClient>)provider.GetRequiredService(typeof(IEventsClientFactory<TClient>))).Create(string.Empty));
        }
        else
        {
            services.AddKeyedTransient(name, static (provider, key) => ((IEventsClientFactory<TClient>)provider.GetRequiredService(typeof(IEventsClientFactory<TClient>))).Create((string)key!));
        }

        return services.AddHttpClient(httpClientName);
    }
}

/// <summary>One registration: its name, its HTTP client's name, and how to prepare its clients.</summary>
internal sealed class EventsClientRegistration<TClient>(string name, string httpClientName, Func<IServiceProvider, Func<HttpClient, TClient>> prepare)
    where TClient : class
{
    public string Name { get; } = name;

    public string HttpClientName { get; } = httpClientName;

    /// <summary>Builds the registration's options and credential; returns how to create a client on an HTTP client.</summary>
    public Func<IServiceProvider, Func<HttpClient, TClient>> Prepare { get; } = prepare;
}

/// <summary>
/// Prepares each registration once per service provider (a singleton of it), so that options are built once,
/// with that provider's logger factory, and never mutated afterwards.
/// </summary>
internal sealed class EventsClientFactory<TClient>(IServiceProvider provider) : IEventsClientFactory<TClient>
    where TClient : class
{
    private readonly ConcurrentDictionary<string, Lazy<(string HttpClientName, Func<HttpClient, TClient> Create)>> _prepared = new(StringComparer.Ordinal);

    public TClient Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var prepared = _prepared.GetOrAdd(name, n => new Lazy<(string, Func<HttpClient, TClient>)>(() => Prepare(n))).Value;
        var http = ((IHttpClientFactory)provider.GetRequiredService(typeof(IHttpClientFactory))).CreateClient(prepared.HttpClientName);
        return prepared.Create(http);
    }

    private (string, Func<HttpClient, TClient>) Prepare(string name)
    {
        var registrations = (IEnumerable<EventsClientRegistration<TClient>>)provider.GetRequiredService(typeof(IEnumerable<EventsClientRegistration<TClient>>));

        // The last registration of a name wins, as with other service registrations.
        var registration = registrations.LastOrDefault(r => r.Name == name)
            ?? throw new InvalidOperationException($"No {typeof(TClient).Name} is registered under the name '{name}'; registered: {string.Join(", ", registrations.Select(r => r.Name.Length == 0 ? "(unnamed)" : "'" + r.Name + "'").Distinct())}.");
        return (registration.HttpClientName, registration.Prepare(provider));
    }
}
