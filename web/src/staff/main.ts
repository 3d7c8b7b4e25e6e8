// The staff app at /staff. The public site (/) does not load this.
import "@picocss/pico/css/pico.min.css";
import "./staff.css";
import "./patients/patients.css";
import "./home/my-day.css";
import "./plans/plans.css";
import "./app-shell";
