/** Placeholder entry of the tour page (being built). */
import 'cesium/Build/Cesium/Widgets/widgets.css';
import '../style.css';
import { openCityScene } from '../scene/city-scene.ts';

void openCityScene(document.getElementById('globe') as HTMLElement);
