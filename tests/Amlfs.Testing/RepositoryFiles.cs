namespace Amlfs.Testing;

/// <summary>Files of the repository the tests run from: its README, definitions and docs, read as a newcomer reads them.</summary>
public static class RepositoryFiles
{
    /// <summary>The repository's root: the nearest directory above the test binaries that holds <c>Amlfs.slnx</c>.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Amlfs.slnx")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"no Amlfs.slnx above {AppContext.BaseDirectory}: the tests run from the repository");
    }

    /// <summary>The text of a file given by its path from the root, with forward slashes.</summary>
    public static string Read(string path) => File.ReadAllText(Path.Combine([Root(), .. path.Split('/')]));
}
