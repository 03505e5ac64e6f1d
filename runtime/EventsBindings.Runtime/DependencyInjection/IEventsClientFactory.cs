namespace EventsBindings.Runtime;

/// <summary>
/// Creates the clients of named registrations (<c>services.Add&lt;Api&gt;Client("tenant-a", ...)</c>), as
/// <c>IAzureClientFactory&lt;TClient&gt;</c> does for Azure clients: one API, several tenants or accounts, each
/// with its own credential, options and HTTP client. Named clients are also registered as keyed services
/// under their name.
/// </summary>
/// <typeparam name="TClient">The generated client type.</typeparam>
public interface IEventsClientFactory<out TClient>
    where TClient : class
{
    /// <summary>Creates a client of the registration of that name (the empty name is the unnamed registration).</summary>
    /// <param name="name">The registration's name.</param>
    /// <returns>A new client; clients of one registration share its options and its access-token cache.</returns>
    /// <exception cref="InvalidOperationException">No registration has that name.</exception>
    TClient Create(string name);
}
