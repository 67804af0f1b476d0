namespace Amlfs.Learning.LightGbm;

/// <summary>A LightGBM C API call failed; the message is LightGBM's own (<c>LGBM_GetLastError</c>).</summary>
public sealed class LightGbmException : Exception
{
    public LightGbmException()
    {
    }

    public LightGbmException(string message)
        : base(message)
    {
    }

    public LightGbmException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
