import io.slipway.plugin.localindex.LocalIndex;
import java.nio.file.Path;

/**
 * Slipway's embedded index (plugins/local-index) as a standalone server for the shell-script
 * baseline of monorepo-release.sh, so both variants upload to the same server. Prints the upload
 * URL and serves until killed. Run with the Java source launcher:
 * java -cp "$SLIPWAY_HOME/lib/*:$SLIPWAY_HOME/plugins/local-index/lib/*" LocalIndexServer.java STORAGE
 */
public class LocalIndexServer {
    public static void main(String[] args) throws InterruptedException {
        LocalIndex index = LocalIndex.start(Path.of(args[0]));
        System.out.println(index.uploadUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
