package dev.drover.conformance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** A child for {@link ChildJvmTest}: prints its arguments, echoes stdin lines until "EXIT <code>", or blocks on "BLOCK". */
public final class EchoMain {
    private EchoMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("ARGS " + String.join(",", args));
        System.out.flush();
        System.err.println("a line on stderr");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("EXIT ")) System.exit(Integer.parseInt(line.substring(5)));
            if (line.equals("BLOCK")) {
                System.out.println("BLOCKING");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            System.out.println("ECHO " + line);
            System.out.flush();
        }
    }
}
