using Amlfs.Alerts;
using Amlfs.Audit;
using Amlfs.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Cases;

/// <summary>Registers the cases of an embedded server: the service, the alerts it files, and its start.</summary>
internal static class CaseServices
{
    /// <summary>
    /// Registers <see cref="CaseService"/> in an embedded server, as a subscriber to the raised alerts and a hosted
    /// service (it writes labels a crash left unwritten). An API replica keeps no cases: it runs no alert rules, and
    /// it may share its data directory with other replicas.
    /// </summary>
    public static IServiceCollection AddAmlfsCases(this IServiceCollection services, ServerSettings settings, TimeProvider clock)
    {
        if (settings.OnlineStore is not null)
            return services;
        services.AddSingleton(sp => new CaseService(settings, clock, sp.GetRequiredService<ILoggerFactory>(), sp.GetService<IAuditTrail>()));
        services.AddSingleton<IAlertSubscriber>(sp => sp.GetRequiredService<CaseService>());
        services.AddHostedService(sp => sp.GetRequiredService<CaseService>());
        return services;
    }
}
